#pragma once
// Parsed DynamoDB expressions. #names and :values are resolved while parsing, so evaluating an
// expression needs only the item.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dynamodb/document_path.hpp"

namespace lambdalab::dynamodb {

// One node of a condition (ConditionExpression, FilterExpression, KeyConditionExpression) or of an
// update's value.
struct Node {
    enum class Kind {
        Path,        // path
        Value,       // value (from ExpressionAttributeValues)
        Call,        // op is the function (size, attribute_exists, if_not_exists, ...), args its arguments
        Arithmetic,  // op is "+" or "-"
        Compare,     // op is "=", "<>", "<", "<=", ">" or ">="
        Between,     // args: operand, lower, upper
        In,          // args: operand, then the candidates
        And,
        Or,
        Not,
    };
    Kind kind = Kind::Value;
    DocumentPath path;
    Json value;
    std::string op;
    std::vector<Node> args;
};

struct UpdateAction {
    enum class Kind { Set, Remove, Add, Delete };
    Kind kind = Kind::Set;
    DocumentPath path;
    Node value;  // unused for Remove
};

struct UpdateExpression {
    std::vector<UpdateAction> actions;
};

}  // namespace lambdalab::dynamodb
