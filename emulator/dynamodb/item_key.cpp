#include "dynamodb/item_key.hpp"

#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/key_codec.hpp"

namespace lambdalab::dynamodb {

namespace {

constexpr std::size_t kMaxHashKeyBytes = 2048;
constexpr std::size_t kMaxRangeKeyBytes = 1024;

[[noreturn]] void key_mismatch() {
    throw_validation("The provided key element does not match the schema");
}

// Empty strings and binaries are allowed in attributes since 2020, but never in keys.
void check_not_empty(const KeyAttribute& key, const Json& value) {
    if (key.type == AttrType::N || !value.begin().value().get_ref<const std::string&>().empty()) return;
    throw_validation(
        std::string("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                    "contain an empty ") +
        (key.type == AttrType::S ? "string" : "binary") + " value. Key: " + key.name);
}

void check_size(const Json& value, bool is_hash) {
    const std::size_t size = value_size(value);
    if (is_hash && size > kMaxHashKeyBytes) {
        throw_validation(
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit "
            "of2048 bytes");
    }
    if (!is_hash && size > kMaxRangeKeyBytes) {
        throw_validation(
            "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the "
            "size "
            "limit of 1024 bytes");
    }
}

std::string encode_from_item(const KeyAttribute& key, const Json& item, bool is_hash) {
    const auto it = item.find(key.name);
    if (it == item.end()) throw_validation("One of the required keys was not given a value");
    const AttrType actual = type_of(*it);
    if (actual != key.type) {
        throw_validation("One or more parameter values were invalid: Type mismatch for key " + key.name +
                         " expected: " + std::string(type_name(key.type)) +
                         " actual: " + std::string(type_name(actual)));
    }
    check_not_empty(key, *it);
    check_size(*it, is_hash);
    return encode_key_value(*it);
}

std::string encode_from_key(const KeyAttribute& key, const Json& parameter, bool is_hash) {
    const auto it = parameter.find(key.name);
    if (it == parameter.end() || type_of(*it) != key.type) key_mismatch();
    check_not_empty(key, *it);
    check_size(*it, is_hash);
    return encode_key_value(*it);
}

}  // namespace

EncodedKey key_of_item(const TableDefinition& table, const Json& item) {
    EncodedKey out{encode_from_item(table.hash, item, true), {}};
    if (table.range) out.range = encode_from_item(*table.range, item, false);
    return out;
}

EncodedKey key_of_key(const TableDefinition& table, const Json& key) {
    if (!key.is_object() || key.size() != (table.range ? 2u : 1u)) key_mismatch();
    EncodedKey out{encode_from_key(table.hash, key, true), {}};
    if (table.range) out.range = encode_from_key(*table.range, key, false);
    return out;
}

Json key_attributes(const TableDefinition& table, const Json& item) {
    Json out = Json::object();
    out[table.hash.name] = item.at(table.hash.name);
    if (table.range) out[table.range->name] = item.at(table.range->name);
    return out;
}

}  // namespace lambdalab::dynamodb
