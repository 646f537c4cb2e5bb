#pragma once
// A table's schema as CreateTable declared it (key schema, billing), its validation with DynamoDB's
// messages, and the TableDescription that CreateTable, DescribeTable and DeleteTable answer with.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dynamodb/attribute_value.hpp"

namespace lambdalab::dynamodb {

struct KeyAttribute {
    std::string name;
    AttrType type = AttrType::S;  // S, N or B
};

struct TableDefinition {
    std::int64_t id = 0;  // the store's row id; a table re-created under the same name gets a new one
    std::string name;
    KeyAttribute hash;
    std::optional<KeyAttribute> range;
    std::string billing_mode = "PROVISIONED";  // or PAY_PER_REQUEST
    std::int64_t read_capacity = 0;
    std::int64_t write_capacity = 0;
    double created_at = 0;  // seconds since the epoch, as CreationDateTime is sent
    std::string table_id;   // TableId, a UUID

    bool is_key(std::string_view attribute) const {
        return attribute == hash.name || (range && attribute == range->name);
    }

    Json to_json() const;  // as stored
    static TableDefinition from_json(const Json& stored);
};

// Validates a CreateTable request into a definition (id, created_at and table_id left for the caller).
TableDefinition parse_create_table(const Json& request);

struct TableStats {
    std::int64_t item_count = 0;
    std::int64_t size_bytes = 0;
};

// A TableDescription. `status` is ACTIVE, or DELETING for DeleteTable's answer.
Json table_description(const TableDefinition& table, const TableStats& stats, std::string_view status,
                       const std::string& arn);

}  // namespace lambdalab::dynamodb
