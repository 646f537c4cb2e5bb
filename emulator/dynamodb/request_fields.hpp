#pragma once
// Typed access to the fields of a DynamoDB JSON request, failing the way DynamoDB does: a field of
// the wrong JSON type is a SerializationException, a missing required one a ValidationException.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::dynamodb {

using Json = nlohmann::json;

// "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be
// null"
[[noreturn]] void throw_missing_field(std::string_view field);

// DynamoDB's "Value 'x' at 'field' failed to satisfy constraint: <constraint>" for one field.
[[noreturn]] void throw_constraint(std::string_view field, const std::string& value, std::string_view constraint);

// TableName, checked for length and characters; a table ARN is accepted and reduced to its name.
std::string table_name(const Json& request, std::string_view field = "TableName");
// Checks a table or index name given in another place (a RequestItems key).
void check_table_name(const std::string& name, std::string_view field = "TableName");

std::optional<std::string> optional_string(const Json& request, std::string_view field);
std::optional<bool> optional_bool(const Json& request, std::string_view field);
std::optional<std::int64_t> optional_integer(const Json& request, std::string_view field);
// nullptr when absent (or JSON null).
const Json* optional_object(const Json& request, std::string_view field);
const Json* optional_array(const Json& request, std::string_view field);
const Json& required_object(const Json& request, std::string_view field);

// An enum-valued field: nullopt when absent, ValidationException when not one of `allowed`.
std::optional<std::string> optional_enum(const Json& request, std::string_view field,
                                         const std::vector<std::string>& allowed);

}  // namespace lambdalab::dynamodb
