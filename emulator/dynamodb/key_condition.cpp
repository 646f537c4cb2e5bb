#include "dynamodb/key_condition.hpp"

#include <vector>

#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/key_codec.hpp"

namespace lambdalab::dynamodb {

namespace {

[[noreturn]] void invalid_operator(const std::string& op) {
    throw_validation("Invalid operator used in KeyConditionExpression: " + op);
}

void flatten(const Node& node, std::vector<const Node*>& terms) {
    switch (node.kind) {
        case Node::Kind::And:
            flatten(node.args[0], terms);
            flatten(node.args[1], terms);
            return;
        case Node::Kind::Or:
            invalid_operator("OR");
        case Node::Kind::Not:
            invalid_operator("NOT");
        case Node::Kind::In:
            invalid_operator("IN");
        default:
            terms.push_back(&node);
    }
}

// A term is "<key> op :value" (either way round for comparisons), BETWEEN or begins_with.
struct Term {
    const DocumentPath* path = nullptr;
    std::string op;
    std::vector<const Json*> values;
};

std::string mirrored(const std::string& op) {
    if (op == "<") return ">";
    if (op == "<=") return ">=";
    if (op == ">") return "<";
    if (op == ">=") return "<=";
    return op;
}

Term read_term(const Node& node) {
    Term term;
    const auto take_value = [&](const Node& operand) {
        if (operand.kind != Node::Kind::Value)
            throw_validation("Invalid KeyConditionExpression: Query key condition not supported");
        term.values.push_back(&operand.value);
    };
    const auto take_path = [&](const Node& operand) {
        if (operand.kind != Node::Kind::Path)
            throw_validation("Invalid KeyConditionExpression: Query key condition not supported");
        if (operand.path.elements.size() != 1)
            throw_validation("KeyConditionExpressions cannot contain nested key attributes");
        term.path = &operand.path;
    };
    switch (node.kind) {
        case Node::Kind::Compare:
            if (node.op == "<>") invalid_operator("<>");
            if (node.args[0].kind == Node::Kind::Value) {
                take_path(node.args[1]);
                take_value(node.args[0]);
                term.op = mirrored(node.op);
            } else {
                take_path(node.args[0]);
                take_value(node.args[1]);
                term.op = node.op;
            }
            return term;
        case Node::Kind::Between:
            take_path(node.args[0]);
            take_value(node.args[1]);
            take_value(node.args[2]);
            term.op = "BETWEEN";
            return term;
        case Node::Kind::Call:
            if (node.op != "begins_with") invalid_operator(node.op);
            take_path(node.args[0]);
            take_value(node.args[1]);
            term.op = "begins_with";
            return term;
        default:
            throw_validation("Invalid KeyConditionExpression: Query key condition not supported");
    }
}

void check_type(const KeyAttribute& key, const Json& value) {
    if (type_of(value) != key.type) {
        throw_validation(
            "One or more parameter values were invalid: Condition parameter type does not match schema type");
    }
}

SortKeyRange range_of(const Term& term, const KeyAttribute& key) {
    for (const Json* value : term.values) check_type(key, *value);
    const std::string first = encode_key_value(*term.values[0]);
    SortKeyRange range;
    if (term.op == "=") {
        range.lower = range.upper = first;
    } else if (term.op == "<" || term.op == "<=") {
        range.upper = first;
        range.upper_inclusive = term.op == "<=";
    } else if (term.op == ">" || term.op == ">=") {
        range.lower = first;
        range.lower_inclusive = term.op == ">=";
    } else if (term.op == "BETWEEN") {
        range.lower = first;
        range.upper = encode_key_value(*term.values[1]);
    } else {  // begins_with: every encoding with this prefix, which key_codec keeps contiguous
        if (key.type == AttrType::N) {
            throw_validation(
                "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator "
                "or "
                "function: begins_with, operand type: NUMBER");
        }
        range.lower = first;
        range.upper = prefix_upper_bound(first);
        range.upper_inclusive = false;
    }
    return range;
}

}  // namespace

KeyConditionPlan plan_key_condition(const Node& condition, const TableDefinition& table) {
    std::vector<const Node*> nodes;
    flatten(condition, nodes);
    if (nodes.size() > 2) throw_validation("Conditions can be of length 1 or 2 only");
    std::vector<Term> terms;
    for (const Node* node : nodes) terms.push_back(read_term(*node));

    const Term* hash = nullptr;
    const Term* range = nullptr;
    bool names_other_attribute = false;
    for (const auto& term : terms) {
        const std::string& name = term.path->attribute();
        const Term** slot =
            name == table.hash.name ? &hash : (table.range && name == table.range->name ? &range : nullptr);
        if (!slot) {
            names_other_attribute = true;
            continue;
        }
        if (*slot) throw_validation("KeyConditionExpressions must only contain one condition per key");
        *slot = &term;
    }
    if (!hash) throw_validation("Query condition missed key schema element: " + table.hash.name);
    if (names_other_attribute) {
        if (!table.range) throw_validation("Query key condition not supported");
        throw_validation("Query condition missed key schema element: " + table.range->name);
    }
    if (hash->op != "=") throw_validation("Query key condition not supported");
    check_type(table.hash, *hash->values[0]);

    KeyConditionPlan plan{encode_key_value(*hash->values[0]), {}};
    if (range) plan.range = range_of(*range, *table.range);
    return plan;
}

}  // namespace lambdalab::dynamodb
