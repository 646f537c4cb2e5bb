#include "dynamodb/operations.hpp"

#include <algorithm>
#include <map>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_parser.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"
#include "dynamodb/update_apply.hpp"

namespace lambdalab::dynamodb {

namespace {

using Handler = Json (Operations::*)(const Json&);

}  // namespace

Operations::Operations(TableStore& store, OperationsOptions options) : store_(store), options_(std::move(options)) {}

bool Operations::supports(std::string_view operation) {
    static const std::vector<std::string_view> kSupported = {
        "CreateTable",        "DescribeTable",    "ListTables", "DeleteTable", "PutItem",      "GetItem",
        "UpdateItem",         "DeleteItem",       "Query",      "Scan",        "BatchGetItem", "BatchWriteItem",
        "TransactWriteItems", "TransactGetItems",
    };
    return std::find(kSupported.begin(), kSupported.end(), operation) != kSupported.end();
}

Json Operations::run(std::string_view operation, const Json& request) {
    static const std::map<std::string_view, Handler> kHandlers = {
        {"CreateTable", &Operations::create_table},
        {"DescribeTable", &Operations::describe_table},
        {"ListTables", &Operations::list_tables},
        {"DeleteTable", &Operations::delete_table},
        {"PutItem", &Operations::put_item},
        {"GetItem", &Operations::get_item},
        {"UpdateItem", &Operations::update_item},
        {"DeleteItem", &Operations::delete_item},
        {"Query", &Operations::query},
        {"Scan", &Operations::scan},
        {"BatchGetItem", &Operations::batch_get_item},
        {"BatchWriteItem", &Operations::batch_write_item},
        {"TransactWriteItems", &Operations::transact_write_items},
        {"TransactGetItems", &Operations::transact_get_items},
    };
    const auto it = kHandlers.find(operation);
    if (it == kHandlers.end())
        throw DynamoException({"UnknownOperationException", "Unknown operation: " + std::string(operation)});
    if (!request.is_object()) throw_serialization("Start of list found where not expected");
    return (this->*(it->second))(request);
}

std::shared_ptr<const TableDefinition> Operations::require_table(const std::string& name, bool name_in_error) {
    auto table = store_.find_table(name);
    if (!table) throw_table_not_found(name_in_error ? name : std::string{});
    return table;
}

std::string Operations::table_arn(const std::string& name) const {
    return "arn:aws:dynamodb:" + options_.region + ":" + options_.account_id + ":table/" + name;
}

namespace support {

Json validated_item(const Json& parent, std::string_view field) {
    const Json* item = optional_object(parent, field);
    if (!item) throw_missing_field(field);
    Json out = *item;
    validate_item(out, field);
    if (item_size(out) > kMaxItemSize) throw_validation("Item size has exceeded the maximum allowed size");
    return out;
}

Json validated_key(const Json& parent, std::string_view field) {
    const Json* key = optional_object(parent, field);
    if (!key) throw_missing_field(field);
    Json out = *key;
    validate_item(out, field);
    return out;
}

std::optional<std::vector<DocumentPath>> projection(const Json& request, ExpressionInputs& inputs) {
    const auto expression = optional_string(request, "ProjectionExpression");
    const Json* names = optional_array(request, "AttributesToGet");
    if (expression && names) {
        throw_validation(
            "Can not use both expression and non-expression parameters in the same request: Non-expression "
            "parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
    }
    if (expression) return parse_projection(*expression, inputs);
    if (!names) return std::nullopt;
    std::vector<DocumentPath> paths;
    for (const auto& name : *names) {
        if (!name.is_string()) throw_serialization("Expected a string in AttributesToGet");
        paths.push_back(DocumentPath{{PathElement{name.get<std::string>(), 0, false}}});
    }
    return paths;
}

std::optional<Node> condition(const Json& request, std::string_view field, ExpressionInputs& inputs) {
    const auto text = optional_string(request, field);
    if (!text) return std::nullopt;
    return parse_condition(*text, inputs, field);
}

void reject_legacy(const Json& request) {
    static const std::pair<const char*, const char*> kLegacy[] = {
        {"Expected", "ConditionExpression"},         {"AttributeUpdates", "UpdateExpression"},
        {"KeyConditions", "KeyConditionExpression"}, {"QueryFilter", "FilterExpression"},
        {"ScanFilter", "FilterExpression"},          {"ConditionalOperator", "expressions"},
    };
    for (const auto& [legacy, modern] : kLegacy) {
        if (request.contains(legacy) && !request.at(legacy).is_null()) {
            throw_validation(std::string("lambdalab's DynamoDB does not support the legacy parameter ") + legacy +
                             "; use " + modern + " instead");
        }
    }
}

void condition_failed(const Json& request, const std::optional<StoredItem>& old) {
    DynamoError error{"ConditionalCheckFailedException", "The conditional request failed"};
    const auto on_failure = optional_enum(request, "ReturnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
    if (on_failure == "ALL_OLD" && old) error.extra["Item"] = old->item;
    throw DynamoException(std::move(error));
}

std::string return_values(const Json& request, const std::vector<std::string>& allowed) {
    const auto value =
        optional_enum(request, "ReturnValues", {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
    if (!value) return "NONE";
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end())
        throw_validation("Return values set to invalid value");
    return *value;
}

void check_key_unchanged(const TableDefinition& table, const UpdateExpression& update) {
    for (const auto& action : update.actions) {
        if (table.is_key(action.path.attribute())) {
            throw_validation("One or more parameter values were invalid: Cannot update attribute " +
                             action.path.attribute() + ". This attribute is part of the key");
        }
    }
}

Json updated_item(const std::optional<StoredItem>& old, const Json& key,
                  const std::optional<UpdateExpression>& update) {
    Json item = old ? old->item : key;  // an update of a missing item creates it
    if (update) item = apply_update(*update, item);
    if (item_size(item) > kMaxItemSize) throw_validation("Item size to update has exceeded the maximum allowed size");
    return item;
}

}  // namespace support

}  // namespace lambdalab::dynamodb
