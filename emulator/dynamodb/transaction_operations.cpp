// TransactWriteItems and TransactGetItems: up to 100 actions on distinct items, all or nothing.
// Every condition is checked before anything is written, and the writes commit in one SQLite
// transaction; a failed condition cancels the whole request with a reason per action.
#include <set>

#include "dynamodb/document_path.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_eval.hpp"
#include "dynamodb/expression_parser.hpp"
#include "dynamodb/item_key.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"

namespace lambdalab::dynamodb {

namespace {

constexpr std::size_t kMaxTransactItems = 100;

enum class ActionKind { ConditionCheck, Put, Update, Delete };

struct Action {
    ActionKind kind = ActionKind::Put;
    std::shared_ptr<const TableDefinition> table;
    EncodedKey key;
    Json item_or_key;  // the item of a Put, the Key of the others
    std::optional<Node> condition;
    std::optional<UpdateExpression> update;
    bool old_item_on_failure = false;
};

const Json& transact_items(const Json& request) {
    const Json* items = optional_array(request, "TransactItems");
    if (!items) throw_missing_field("TransactItems");
    if (items->empty()) throw_constraint("TransactItems", "[]", "Member must have length greater than or equal to 1");
    if (items->size() > kMaxTransactItems) {
        throw_validation(
            "1 validation error detected at 'transactItems' failed to satisfy constraint: Member must have "
            "length "
            "less than or equal to 100.");
    }
    return *items;
}

// The one member of a TransactWriteItem, and which kind it is.
std::pair<ActionKind, const Json*> action_member(const Json& entry) {
    static const std::pair<const char*, ActionKind> kKinds[] = {{"ConditionCheck", ActionKind::ConditionCheck},
                                                                {"Put", ActionKind::Put},
                                                                {"Update", ActionKind::Update},
                                                                {"Delete", ActionKind::Delete}};
    if (!entry.is_object()) throw_serialization("Expected a TransactWriteItem structure");
    std::optional<std::pair<ActionKind, const Json*>> found;
    for (const auto& [name, kind] : kKinds) {
        const Json* member = optional_object(entry, name);
        if (!member) continue;
        if (found) throw_validation("TransactItems can only contain one of Check, Put, Update or Delete");
        found = std::pair{kind, member};
    }
    if (!found) throw_validation("TransactItems can only contain one of Check, Put, Update or Delete");
    return *found;
}

}  // namespace

Json Operations::transact_write_items(const Json& request) {
    std::vector<Action> actions;
    std::set<std::pair<std::int64_t, EncodedKey>> seen;
    for (const auto& entry : transact_items(request)) {
        const auto [kind, member] = action_member(entry);
        Action action;
        action.kind = kind;
        const std::string name = table_name(*member);
        action.item_or_key =
            kind == ActionKind::Put ? support::validated_item(*member, "Item") : support::validated_key(*member, "Key");
        ExpressionInputs inputs(*member);
        if (kind == ActionKind::Update) {
            const auto text = optional_string(*member, "UpdateExpression");
            if (!text) throw_missing_field("UpdateExpression");
            action.update = parse_update(*text, inputs);
        }
        action.condition = support::condition(*member, "ConditionExpression", inputs);
        if (kind == ActionKind::ConditionCheck && !action.condition) throw_missing_field("ConditionExpression");
        inputs.check_all_used(action.update || action.condition);
        action.old_item_on_failure =
            optional_enum(*member, "ReturnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"}) == "ALL_OLD";

        action.table = require_table(name);
        action.key = kind == ActionKind::Put ? key_of_item(*action.table, action.item_or_key)
                                             : key_of_key(*action.table, action.item_or_key);
        if (action.update) support::check_key_unchanged(*action.table, *action.update);
        if (!seen.insert({action.table->id, action.key}).second) {
            throw_validation("Transaction request cannot include multiple operations on one item");
        }
        actions.push_back(std::move(action));
    }

    // Check every condition (and compute every update) before writing anything.
    Json reasons = Json::array();
    std::vector<std::string> codes;
    bool cancelled = false;
    std::vector<std::optional<Json>> results(actions.size());
    for (std::size_t i = 0; i < actions.size(); ++i) {
        const Action& action = actions[i];
        const auto old = store_.get_item(action.table->id, action.key);
        if (action.condition && !evaluate_condition(*action.condition, old ? old->item : Json::object())) {
            Json reason{{"Code", "ConditionalCheckFailed"}, {"Message", "The conditional request failed"}};
            if (action.old_item_on_failure && old) reason["Item"] = old->item;
            reasons.push_back(std::move(reason));
            codes.emplace_back("ConditionalCheckFailed");
            cancelled = true;
            continue;
        }
        reasons.push_back(Json{{"Code", "None"}});
        codes.emplace_back("None");
        if (action.kind == ActionKind::Put) results[i] = action.item_or_key;
        if (action.kind == ActionKind::Update)
            results[i] = support::updated_item(old, action.item_or_key, action.update);
    }
    if (cancelled) {
        std::string list;
        for (const auto& code : codes) list += (list.empty() ? "" : ", ") + code;
        throw DynamoException(
            {"TransactionCanceledException",
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + list + "]",
             Json{{"CancellationReasons", std::move(reasons)}}});
    }

    store_.in_transaction([&] {
        for (std::size_t i = 0; i < actions.size(); ++i) {
            const Action& action = actions[i];
            if (action.kind == ActionKind::Delete) store_.delete_item(action.table->id, action.key);
            if (results[i]) store_.put_item(action.table->id, action.key, *results[i], item_size(*results[i]));
        }
    });
    return Json::object();
}

Json Operations::transact_get_items(const Json& request) {
    struct Get {
        std::shared_ptr<const TableDefinition> table;
        EncodedKey key;
        std::optional<std::vector<DocumentPath>> projection;
    };
    std::vector<Get> gets;
    for (const auto& entry : transact_items(request)) {
        const Json* member = entry.is_object() ? optional_object(entry, "Get") : nullptr;
        if (!member) throw_validation("TransactItems can only contain Get");
        const std::string name = table_name(*member);
        const Json key = support::validated_key(*member, "Key");
        ExpressionInputs inputs(*member);
        Get get;
        get.projection = support::projection(*member, inputs);
        inputs.check_all_used(member->contains("ProjectionExpression"));
        get.table = require_table(name);
        get.key = key_of_key(*get.table, key);
        gets.push_back(std::move(get));
    }
    Json responses = Json::array();
    for (const auto& get : gets) {
        const auto found = store_.get_item(get.table->id, get.key);
        Json response = Json::object();
        if (found) response["Item"] = get.projection ? project(found->item, *get.projection) : found->item;
        responses.push_back(std::move(response));
    }
    return Json{{"Responses", std::move(responses)}};
}

}  // namespace lambdalab::dynamodb
