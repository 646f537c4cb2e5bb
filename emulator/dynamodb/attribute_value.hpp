#pragma once
// DynamoDB's AttributeValue, kept in its wire form ({"S": "x"}, {"N": "10"}, {"M": {...}}): validation
// with DynamoDB's messages, canonical forms, equality, ordering and the size DynamoDB bills and limits.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace lambdalab::dynamodb {

using Json = nlohmann::json;

enum class AttrType { S, N, B, BOOL, Null, M, L, SS, NS, BS };

constexpr std::size_t kMaxItemSize = 400 * 1024;  // "Item size has exceeded the maximum allowed size"

// The type of a validated value.
AttrType type_of(const Json& value);
// "S", "N", ..., "NULL": the wire names.
std::string_view type_name(AttrType type);
std::optional<AttrType> type_from_name(std::string_view name);
// "STRING", "NUMBER", ...: the words DynamoDB uses in operand type errors.
std::string_view type_word(AttrType type);
bool is_set(AttrType type);
// The scalar type of a set's members (S for SS, ...).
AttrType member_type(AttrType set_type);

// Checks a value as DynamoDB does and rewrites it to canonical form (numbers normalized, base64
// re-encoded). Throws ValidationException or SerializationException.
void validate_value(Json& value);
// An attribute map (an Item, a Key, ExpressionAttributeValues' values...): an object of values.
void validate_item(Json& item, std::string_view parameter = "Item");

// Equal as DynamoDB compares them: numbers numerically, sets ignoring order.
bool values_equal(const Json& a, const Json& b);
// Ordering for <, <=, >, >=, BETWEEN: only for two values of the same type among S, N, B
// (strings and binaries by bytes, numbers numerically). nullopt when not comparable.
std::optional<int> compare_values(const Json& a, const Json& b);

// Sizes by DynamoDB's rules (names and strings in UTF-8 bytes, binaries raw, numbers about one byte
// per two digits plus one, 3 bytes overhead per map and list and 1 per element).
std::size_t value_size(const Json& value);
std::size_t item_size(const Json& item);

// Raw bytes of a (validated) B value's base64 text.
std::string binary_bytes(const Json& base64_text);

}  // namespace lambdalab::dynamodb
