// PutItem, GetItem, UpdateItem, DeleteItem: one item by its key, with conditions and ReturnValues.
// All run on the service's single thread, so a condition check and its write are atomic.
#include "dynamodb/consumed_capacity.hpp"
#include "dynamodb/document_path.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_eval.hpp"
#include "dynamodb/expression_parser.hpp"
#include "dynamodb/item_key.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"
#include "dynamodb/update_apply.hpp"

namespace lambdalab::dynamodb {

namespace {

const Json kNoItem = Json::object();

void check_condition(const std::optional<Node>& condition, const Json& request, const std::optional<StoredItem>& old) {
    if (condition && !evaluate_condition(*condition, old ? old->item : kNoItem))
        support::condition_failed(request, old);
}

}  // namespace

Json Operations::put_item(const Json& request) {
    const std::string name = table_name(request);
    support::reject_legacy(request);
    const Json item = support::validated_item(request, "Item");
    ExpressionInputs inputs(request);
    const auto condition = support::condition(request, "ConditionExpression", inputs);
    inputs.check_all_used(condition.has_value());
    const std::string returns = support::return_values(request, {"NONE", "ALL_OLD"});

    const auto table = require_table(name);
    const EncodedKey key = key_of_item(*table, item);
    std::optional<StoredItem> old;
    if (condition || returns == "ALL_OLD") old = store_.get_item(table->id, key);
    check_condition(condition, request, old);
    const std::size_t size = item_size(item);
    store_.put_item(table->id, key, item, size);

    Json out = Json::object();
    if (returns == "ALL_OLD" && old) out["Attributes"] = old->item;
    add_consumed_capacity(out, request, name, write_units(std::max(size, old ? old->size : 0)));
    return out;
}

Json Operations::get_item(const Json& request) {
    const std::string name = table_name(request);
    const Json key_parameter = support::validated_key(request, "Key");
    ExpressionInputs inputs(request);
    const auto projection = support::projection(request, inputs);
    inputs.check_all_used(request.contains("ProjectionExpression"));
    const bool consistent = optional_bool(request, "ConsistentRead").value_or(false);

    const auto table = require_table(name);
    const auto found = store_.get_item(table->id, key_of_key(*table, key_parameter));
    Json out = Json::object();
    if (found) out["Item"] = projection ? project(found->item, *projection) : found->item;
    add_consumed_capacity(out, request, name, read_units(found ? found->size : 0, consistent));
    return out;
}

Json Operations::update_item(const Json& request) {
    const std::string name = table_name(request);
    support::reject_legacy(request);
    const Json key_parameter = support::validated_key(request, "Key");
    ExpressionInputs inputs(request);
    std::optional<UpdateExpression> update;
    if (const auto text = optional_string(request, "UpdateExpression")) update = parse_update(*text, inputs);
    const auto condition = support::condition(request, "ConditionExpression", inputs);
    inputs.check_all_used(update || condition);
    const std::string returns =
        support::return_values(request, {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"});

    const auto table = require_table(name);
    const EncodedKey key = key_of_key(*table, key_parameter);
    if (update) support::check_key_unchanged(*table, *update);
    const auto old = store_.get_item(table->id, key);
    check_condition(condition, request, old);
    const Json item = support::updated_item(old, key_parameter, update);
    const std::size_t size = item_size(item);
    store_.put_item(table->id, key, item, size);

    Json attributes;
    if (returns == "ALL_OLD" && old) attributes = old->item;
    if (returns == "ALL_NEW") attributes = item;
    if (update && returns == "UPDATED_OLD" && old) attributes = project(old->item, updated_paths(*update));
    if (update && returns == "UPDATED_NEW") attributes = project(item, updated_paths(*update));
    Json out = Json::object();
    if (attributes.is_object() && !attributes.empty()) out["Attributes"] = std::move(attributes);
    add_consumed_capacity(out, request, name, write_units(std::max(size, old ? old->size : 0)));
    return out;
}

Json Operations::delete_item(const Json& request) {
    const std::string name = table_name(request);
    support::reject_legacy(request);
    const Json key_parameter = support::validated_key(request, "Key");
    ExpressionInputs inputs(request);
    const auto condition = support::condition(request, "ConditionExpression", inputs);
    inputs.check_all_used(condition.has_value());
    const std::string returns = support::return_values(request, {"NONE", "ALL_OLD"});

    const auto table = require_table(name);
    const EncodedKey key = key_of_key(*table, key_parameter);
    const auto old = store_.get_item(table->id, key);
    check_condition(condition, request, old);
    if (old) store_.delete_item(table->id, key);

    Json out = Json::object();
    if (returns == "ALL_OLD" && old) out["Attributes"] = old->item;
    add_consumed_capacity(out, request, name, write_units(old ? old->size : 0));
    return out;
}

}  // namespace lambdalab::dynamodb
