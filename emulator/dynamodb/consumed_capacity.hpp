#pragma once
// ReturnConsumedCapacity: the capacity units DynamoDB would charge, answered when a request asks.
// Reads cost one unit per 4 KB (half for eventually consistent reads), writes one per 1 KB.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace lambdalab::dynamodb {

double read_units(std::size_t bytes, bool consistent);
double write_units(std::size_t bytes);

// Adds ConsumedCapacity to `response` when `request` asked for TOTAL or INDEXES.
void add_consumed_capacity(nlohmann::json& response, const nlohmann::json& request, const std::string& table,
                           double units);

}  // namespace lambdalab::dynamodb
