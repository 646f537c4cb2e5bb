#pragma once
// Key values as SQLite TEXT whose byte order is DynamoDB's key order, so that a Query on a sort-key
// range is an index range scan: strings by UTF-8 bytes and binaries by bytes (both as lower-case
// hex, which keeps byte order), numbers numerically (a sign, a biased exponent, then the digits).
#include <nlohmann/json.hpp>
#include <string>

#include "dynamodb/attribute_value.hpp"

namespace lambdalab::dynamodb {

// The encoding of a validated S, N or B value.
std::string encode_key_value(const Json& value);

// Every encoded string starting with `prefix` sorts below this bound (only for hex encodings).
std::string prefix_upper_bound(const std::string& prefix);

}  // namespace lambdalab::dynamodb
