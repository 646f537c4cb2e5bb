#pragma once
// Nested fields of the lab's JSON documents (runs, variants, their stats), where any level may be
// missing: a run still in progress or a variant that was skipped has fewer fields.
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>

namespace lambdalab::lab {

// The node at `path` (object keys, outermost first), or nullptr when a level is missing.
const nlohmann::json* find_at(const nlohmann::json& node, std::initializer_list<const char*> path);
// The number at `path`, or nullopt when it is missing or not a number.
std::optional<double> number_at(const nlohmann::json& node, std::initializer_list<const char*> path);
// A copy of the node at `path`, or null.
nlohmann::json value_at(const nlohmann::json& node, std::initializer_list<const char*> path);

}  // namespace lambdalab::lab
