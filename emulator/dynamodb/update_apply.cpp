#include "dynamodb/update_apply.hpp"

#include <algorithm>
#include <set>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/decimal.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_eval.hpp"

namespace lambdalab::dynamodb {

namespace {

[[noreturn]] void invalid_path() {
    throw_validation("The document path provided in the update expression is invalid for update");
}

[[noreturn]] void wrong_data_type() {
    throw_validation("An operand in the update expression has an incorrect data type");
}

void assign(Json& item, const DocumentPath& path, Json value) {
    if (!set_value(item, path, std::move(value))) invalid_path();
}

// ADD: a number is added to (a missing attribute counts as 0), a set gains the members.
Json added(const Json* existing, const Json& operand) {
    const AttrType type = type_of(operand);
    if (!existing) return operand;
    if (type_of(*existing) != type) wrong_data_type();
    if (type == AttrType::N) {
        const Decimal sum =
            *Decimal::parse(existing->at("N").get<std::string>()) + *Decimal::parse(operand.at("N").get<std::string>());
        if (auto error = sum.range_error(); !error.empty()) throw_validation(error);
        return Json{{"N", sum.to_string()}};
    }
    const std::string key(type_name(type));
    Json members = existing->at(key);
    for (const auto& member : operand.at(key)) {
        const Json candidate{{std::string(type_name(member_type(type))), member}};
        const bool present = std::any_of(members.begin(), members.end(), [&](const Json& m) {
            return values_equal(Json{{std::string(type_name(member_type(type))), m}}, candidate);
        });
        if (!present) members.push_back(member);
    }
    return Json{{key, std::move(members)}};
}

// DELETE: the set loses the members; nullopt when nothing is left (the attribute goes away).
std::optional<Json> deleted(const Json& existing, const Json& operand) {
    const AttrType type = type_of(operand);
    if (type_of(existing) != type) wrong_data_type();
    const std::string key(type_name(type));
    const std::string scalar(type_name(member_type(type)));
    Json kept = Json::array();
    for (const auto& member : existing.at(key)) {
        const bool removed = std::any_of(operand.at(key).begin(), operand.at(key).end(), [&](const Json& m) {
            return values_equal(Json{{scalar, m}}, Json{{scalar, member}});
        });
        if (!removed) kept.push_back(member);
    }
    if (kept.empty()) return std::nullopt;
    return Json{{key, std::move(kept)}};
}

// Removals run last and deepest-index-first, so list positions keep meaning what they meant in the
// original item.
bool removes_before(const DocumentPath& a, const DocumentPath& b) {
    const auto& x = a.elements;
    const auto& y = b.elements;
    for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (x[i] == y[i]) continue;
        if (x[i].is_index && y[i].is_index) return x[i].index > y[i].index;
        return x[i].is_index ? false : (y[i].is_index ? true : x[i].name < y[i].name);
    }
    return x.size() > y.size();
}

}  // namespace

Json apply_update(const UpdateExpression& update, const Json& item) {
    // Every operand reads the original item, so compute all values before changing anything.
    std::vector<Json> values(update.actions.size());
    for (std::size_t i = 0; i < update.actions.size(); ++i) {
        const UpdateAction& action = update.actions[i];
        if (action.kind != UpdateAction::Kind::Set) continue;
        const OperandValue value = evaluate_operand(action.value, item);
        if (!value) throw_validation("The provided expression refers to an attribute that does not exist in the item");
        values[i] = *value;
    }

    Json result = item;
    std::vector<DocumentPath> removals;
    for (std::size_t i = 0; i < update.actions.size(); ++i) {
        const UpdateAction& action = update.actions[i];
        switch (action.kind) {
            case UpdateAction::Kind::Set:
                assign(result, action.path, std::move(values[i]));
                break;
            case UpdateAction::Kind::Add:
                assign(result, action.path, added(find_value(item, action.path), action.value.value));
                break;
            case UpdateAction::Kind::Delete: {
                const Json* existing = find_value(item, action.path);
                if (!existing) break;
                if (auto kept = deleted(*existing, action.value.value)) {
                    assign(result, action.path, std::move(*kept));
                } else {
                    remove_value(result, action.path);
                }
                break;
            }
            case UpdateAction::Kind::Remove:
                removals.push_back(action.path);
                break;
        }
    }
    std::sort(removals.begin(), removals.end(), removes_before);
    for (const auto& path : removals) remove_value(result, path);
    return result;
}

std::vector<DocumentPath> updated_paths(const UpdateExpression& update) {
    std::vector<DocumentPath> paths;
    for (const auto& action : update.actions) paths.push_back(action.path);
    return paths;
}

}  // namespace lambdalab::dynamodb
