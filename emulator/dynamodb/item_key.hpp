#pragma once
// The primary key of an item, taken from an Item (PutItem) or a Key parameter (GetItem, ...) with
// DynamoDB's checks and messages, and encoded for the store (see key_codec.hpp).
#include <nlohmann/json.hpp>
#include <string>

#include "dynamodb/table_definition.hpp"

namespace lambdalab::dynamodb {

struct EncodedKey {
    std::string hash;
    std::string range;  // empty when the table has no sort key

    bool operator==(const EncodedKey&) const = default;
    auto operator<=>(const EncodedKey&) const = default;
};

// The key of an item about to be written: the key attributes must be present, of the declared type
// and not empty.
EncodedKey key_of_item(const TableDefinition& table, const Json& item);

// A Key parameter: exactly the key attributes, of the declared types, else "The provided key element
// does not match the schema".
EncodedKey key_of_key(const TableDefinition& table, const Json& key);

// Just the key attributes of an item (LastEvaluatedKey, the start of a new item in UpdateItem).
Json key_attributes(const TableDefinition& table, const Json& item);

}  // namespace lambdalab::dynamodb
