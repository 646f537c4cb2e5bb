#pragma once
// A recursive-descent parser for DynamoDB's expression language, with DynamoDB's error messages
// ("Invalid UpdateExpression: Syntax error; token: ..., near: ...", reserved keywords, undefined
// #names and :values, functions used where they are not allowed).
#include <string_view>
#include <vector>

#include "dynamodb/expression.hpp"
#include "dynamodb/expression_inputs.hpp"

namespace lambdalab::dynamodb {

// `expression` is the parameter's name, used in errors: "ConditionExpression", "FilterExpression",
// "KeyConditionExpression".
Node parse_condition(std::string_view text, ExpressionInputs& inputs, std::string_view expression);
UpdateExpression parse_update(std::string_view text, ExpressionInputs& inputs);
std::vector<DocumentPath> parse_projection(std::string_view text, ExpressionInputs& inputs);

}  // namespace lambdalab::dynamodb
