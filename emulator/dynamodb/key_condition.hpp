#pragma once
// A Query's KeyConditionExpression turned into what the store reads: one partition (the hash key's
// encoded value) and a range of encoded sort keys.
#include <optional>
#include <string>

#include "dynamodb/expression.hpp"
#include "dynamodb/table_definition.hpp"

namespace lambdalab::dynamodb {

struct SortKeyRange {
    std::optional<std::string> lower;  // encoded; nullopt: unbounded
    bool lower_inclusive = true;
    std::optional<std::string> upper;
    bool upper_inclusive = true;
};

struct KeyConditionPlan {
    std::string hash;  // encoded
    SortKeyRange range;
};

// Throws ValidationException, in DynamoDB's words, for conditions a Query cannot use (OR, NOT, <>,
// a missing or non-equality partition key condition, a non-key attribute, a type mismatch ...).
KeyConditionPlan plan_key_condition(const Node& condition, const TableDefinition& table);

}  // namespace lambdalab::dynamodb
