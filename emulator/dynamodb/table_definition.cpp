#include "dynamodb/table_definition.hpp"

#include <algorithm>
#include <vector>

#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/request_fields.hpp"

namespace lambdalab::dynamodb {

namespace {

struct KeyElement {
    std::string name;
    std::string key_type;
};

std::vector<KeyElement> key_schema(const Json& request) {
    const Json* schema = optional_array(request, "KeySchema");
    if (!schema) throw_missing_field("KeySchema");
    if (schema->empty() || schema->size() > 2) {
        throw_constraint("KeySchema", schema->dump(),
                         schema->empty() ? "Member must have length greater than or equal to 1"
                                         : "Member must have length less than or equal to 2");
    }
    std::vector<KeyElement> out;
    for (std::size_t i = 0; i < schema->size(); ++i) {
        const Json& element = (*schema)[i];
        if (!element.is_object()) throw_serialization("Expected a KeySchemaElement structure");
        const auto name = optional_string(element, "AttributeName");
        if (!name) throw_missing_field("keySchema." + std::to_string(i + 1) + ".member.attributeName");
        const auto type = optional_enum(element, "KeyType", {"HASH", "RANGE"});
        if (!type) throw_missing_field("keySchema." + std::to_string(i + 1) + ".member.keyType");
        out.push_back({*name, *type});
    }
    if (out[0].key_type != "HASH")
        throw_validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    if (out.size() == 2 && out[1].key_type != "RANGE") {
        throw_validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    }
    if (out.size() == 2 && out[0].name == out[1].name) {
        throw_validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
    }
    return out;
}

std::vector<KeyAttribute> attribute_definitions(const Json& request) {
    const Json* definitions = optional_array(request, "AttributeDefinitions");
    if (!definitions) throw_missing_field("AttributeDefinitions");
    std::vector<KeyAttribute> out;
    for (std::size_t i = 0; i < definitions->size(); ++i) {
        const Json& definition = (*definitions)[i];
        if (!definition.is_object()) throw_serialization("Expected an AttributeDefinition structure");
        const std::string prefix = "attributeDefinitions." + std::to_string(i + 1) + ".member.";
        const auto name = optional_string(definition, "AttributeName");
        if (!name) throw_missing_field(prefix + "attributeName");
        const auto type = optional_string(definition, "AttributeType");
        if (!type) throw_missing_field(prefix + "attributeType");
        if (*type != "S" && *type != "N" && *type != "B") {
            throw_constraint(prefix + "attributeType", *type, "Member must satisfy enum value set: [B, N, S]");
        }
        for (const auto& earlier : out) {
            if (earlier.name == *name) {
                throw_validation("Cannot have two attributes with the same name. Attribute name: " + *name);
            }
        }
        out.push_back({*name, *type_from_name(*type)});
    }
    return out;
}

void read_billing(const Json& request, TableDefinition& table) {
    table.billing_mode =
        optional_enum(request, "BillingMode", {"PROVISIONED", "PAY_PER_REQUEST"}).value_or("PROVISIONED");
    const Json* throughput = optional_object(request, "ProvisionedThroughput");
    if (table.billing_mode == "PAY_PER_REQUEST") {
        if (throughput) {
            throw_validation(
                "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                "can be "
                "specified when BillingMode is PAY_PER_REQUEST");
        }
        return;
    }
    const auto read = throughput ? optional_integer(*throughput, "ReadCapacityUnits") : std::nullopt;
    const auto write = throughput ? optional_integer(*throughput, "WriteCapacityUnits") : std::nullopt;
    if (!read || !write) {
        throw_validation(
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both "
            "be "
            "specified when BillingMode is PROVISIONED");
    }
    if (*read < 1)
        throw_constraint("provisionedThroughput.readCapacityUnits", std::to_string(*read),
                         "Member must have value greater than or equal to 1");
    if (*write < 1)
        throw_constraint("provisionedThroughput.writeCapacityUnits", std::to_string(*write),
                         "Member must have value greater than or equal to 1");
    table.read_capacity = *read;
    table.write_capacity = *write;
}

Json key_attribute_json(const KeyAttribute& key) {
    return Json{{"AttributeName", key.name}, {"AttributeType", std::string(type_name(key.type))}};
}

}  // namespace

TableDefinition parse_create_table(const Json& request) {
    TableDefinition table;
    table.name = table_name(request);
    const auto keys = key_schema(request);
    const auto definitions = attribute_definitions(request);

    for (const char* unsupported : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
        if (const Json* indexes = optional_array(request, unsupported); indexes && !indexes->empty()) {
            throw_validation(std::string("lambdalab's DynamoDB does not support secondary indexes yet (") +
                             unsupported + "); create the table without them");
        }
    }

    std::string missing, defined;
    for (const auto& definition : definitions) defined += (defined.empty() ? "" : ", ") + definition.name;
    std::vector<KeyAttribute> resolved;
    for (const auto& key : keys) {
        auto match = std::find_if(definitions.begin(), definitions.end(),
                                  [&](const KeyAttribute& d) { return d.name == key.name; });
        if (match == definitions.end()) {
            missing += (missing.empty() ? "" : ", ") + key.name;
        } else {
            resolved.push_back(*match);
        }
    }
    if (!missing.empty()) {
        throw_validation(
            "One or more parameter values were invalid: Some index key attributes are not defined in "
            "AttributeDefinitions. Keys: [" +
            missing + "], AttributeDefinitions: [" + defined + "]");
    }
    if (definitions.size() != keys.size()) {
        throw_validation(
            "One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
            "match "
            "number of attributes defined in AttributeDefinitions");
    }
    table.hash = resolved[0];
    if (resolved.size() == 2) table.range = resolved[1];
    read_billing(request, table);
    return table;
}

Json TableDefinition::to_json() const {
    Json out{{"name", name},
             {"hash", key_attribute_json(hash)},
             {"billing_mode", billing_mode},
             {"read_capacity", read_capacity},
             {"write_capacity", write_capacity},
             {"created_at", created_at},
             {"table_id", table_id}};
    if (range) out["range"] = key_attribute_json(*range);
    return out;
}

TableDefinition TableDefinition::from_json(const Json& stored) {
    TableDefinition table;
    table.name = stored.at("name").get<std::string>();
    const auto key = [](const Json& j) {
        return KeyAttribute{j.at("AttributeName").get<std::string>(),
                            *type_from_name(j.at("AttributeType").get<std::string>())};
    };
    table.hash = key(stored.at("hash"));
    if (stored.contains("range")) table.range = key(stored.at("range"));
    table.billing_mode = stored.at("billing_mode").get<std::string>();
    table.read_capacity = stored.at("read_capacity").get<std::int64_t>();
    table.write_capacity = stored.at("write_capacity").get<std::int64_t>();
    table.created_at = stored.at("created_at").get<double>();
    table.table_id = stored.at("table_id").get<std::string>();
    return table;
}

Json table_description(const TableDefinition& table, const TableStats& stats, std::string_view status,
                       const std::string& arn) {
    Json attributes = Json::array({key_attribute_json(table.hash)});
    Json schema = Json::array({Json{{"AttributeName", table.hash.name}, {"KeyType", "HASH"}}});
    if (table.range) {
        attributes.push_back(key_attribute_json(*table.range));
        schema.push_back(Json{{"AttributeName", table.range->name}, {"KeyType", "RANGE"}});
    }
    Json out{{"AttributeDefinitions", std::move(attributes)},
             {"TableName", table.name},
             {"KeySchema", std::move(schema)},
             {"TableStatus", status},
             {"CreationDateTime", table.created_at},
             {"ProvisionedThroughput",
              {{"NumberOfDecreasesToday", 0},
               {"ReadCapacityUnits", table.read_capacity},
               {"WriteCapacityUnits", table.write_capacity}}},
             {"TableSizeBytes", stats.size_bytes},
             {"ItemCount", stats.item_count},
             {"TableArn", arn},
             {"TableId", table.table_id},
             {"DeletionProtectionEnabled", false}};
    if (table.billing_mode == "PAY_PER_REQUEST") {
        out["BillingModeSummary"] = {{"BillingMode", "PAY_PER_REQUEST"},
                                     {"LastUpdateToPayPerRequestDateTime", table.created_at}};
    }
    return out;
}

}  // namespace lambdalab::dynamodb
