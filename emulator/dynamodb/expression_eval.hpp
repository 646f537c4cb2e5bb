#pragma once
// Evaluating parsed expressions against an item: conditions (true/false, DynamoDB's semantics for
// missing attributes and mismatched types) and the operands of updates.
#include <nlohmann/json.hpp>
#include <optional>

#include "dynamodb/expression.hpp"

namespace lambdalab::dynamodb {

// A value an operand produced: borrowed from the item or the expression, or computed.
class OperandValue {
  public:
    OperandValue() = default;  // missing: the operand names an attribute the item lacks
    explicit OperandValue(const Json* borrowed) : borrowed_(borrowed) {}
    explicit OperandValue(Json owned) : owned_(std::move(owned)) {}

    explicit operator bool() const { return borrowed_ || owned_; }
    const Json& operator*() const { return borrowed_ ? *borrowed_ : *owned_; }
    const Json* operator->() const { return &**this; }

  private:
    const Json* borrowed_ = nullptr;
    std::optional<Json> owned_;
};

// Evaluates a condition. An item that does not exist is an empty object.
bool evaluate_condition(const Node& condition, const Json& item);

// Evaluates an operand. Update-only forms (arithmetic, if_not_exists, list_append) throw
// ValidationException for missing attributes and wrong types, as DynamoDB does.
OperandValue evaluate_operand(const Node& operand, const Json& item);

}  // namespace lambdalab::dynamodb
