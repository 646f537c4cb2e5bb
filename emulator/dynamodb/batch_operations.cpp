// BatchGetItem (up to 100 keys) and BatchWriteItem (up to 25 puts and deletes). Everything is
// validated before anything is read or written; the writes of a batch commit together, so nothing
// is ever left in UnprocessedItems.
#include <set>

#include "dynamodb/document_path.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/item_key.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"

namespace lambdalab::dynamodb {

namespace {

constexpr std::size_t kMaxBatchGetKeys = 100;
constexpr std::size_t kMaxBatchWriteRequests = 25;
constexpr std::size_t kMaxBatchGetBytes = 16 * 1024 * 1024;

const Json& request_items(const Json& request) {
    const Json& items = required_object(request, "RequestItems");
    if (items.empty()) throw_constraint("RequestItems", "{}", "Member must have length greater than or equal to 1");
    for (const auto& [name, ignored] : items.items()) check_table_name(name);
    return items;
}

struct GetBatch {
    std::shared_ptr<const TableDefinition> table;
    const Json* parameters = nullptr;  // this table's KeysAndAttributes
    std::vector<Json> keys;
    std::vector<EncodedKey> encoded;
    std::optional<std::vector<DocumentPath>> projection;
};

struct WriteRequest {
    std::shared_ptr<const TableDefinition> table;
    EncodedKey key;
    std::optional<Json> item;  // a put; nullopt: a delete
};

}  // namespace

Json Operations::batch_get_item(const Json& request) {
    const Json& items = request_items(request);
    std::size_t total = 0;
    for (const auto& [name, parameters] : items.items()) {
        if (!parameters.is_object()) throw_serialization("Expected a KeysAndAttributes structure for " + name);
        const Json* keys = optional_array(parameters, "Keys");
        if (!keys) throw_missing_field("requestItems." + name + ".member.keys");
        if (keys->empty()) {
            throw_constraint("requestItems." + name + ".member.keys", "[]",
                             "Member must have length greater than or equal to 1");
        }
        total += keys->size();
    }
    if (total > kMaxBatchGetKeys) throw_validation("Too many items requested for the BatchGetItem call");

    std::vector<GetBatch> batches;
    for (const auto& [name, parameters] : items.items()) {
        GetBatch batch;
        batch.parameters = &parameters;
        ExpressionInputs inputs(parameters);
        batch.projection = support::projection(parameters, inputs);
        inputs.check_all_used(parameters.contains("ProjectionExpression"));
        for (const auto& key : parameters.at("Keys")) {
            Json validated = key;
            validate_item(validated, "Key");
            batch.keys.push_back(std::move(validated));
        }
        batch.table = require_table(name);
        std::set<EncodedKey> seen;
        for (const auto& key : batch.keys) {
            batch.encoded.push_back(key_of_key(*batch.table, key));
            if (!seen.insert(batch.encoded.back()).second)
                throw_validation("Provided list of item keys contains duplicates");
        }
        batches.push_back(std::move(batch));
    }

    Json responses = Json::object();
    Json unprocessed = Json::object();
    std::size_t bytes = 0;
    for (const auto& batch : batches) {
        Json& found = responses[batch.table->name] = Json::array();
        for (std::size_t i = 0; i < batch.keys.size(); ++i) {
            // DynamoDB answers at most 16 MB; the keys past that come back to be asked again.
            if (bytes >= kMaxBatchGetBytes) {
                Json& rest = unprocessed[batch.table->name];
                if (rest.is_null()) {
                    rest = *batch.parameters;
                    rest["Keys"] = Json::array();
                }
                rest["Keys"].push_back(batch.keys[i]);
                continue;
            }
            const auto item = store_.get_item(batch.table->id, batch.encoded[i]);
            if (!item) continue;
            bytes += item->size;
            found.push_back(batch.projection ? project(item->item, *batch.projection) : item->item);
        }
    }
    return Json{{"Responses", std::move(responses)}, {"UnprocessedKeys", std::move(unprocessed)}};
}

Json Operations::batch_write_item(const Json& request) {
    const Json& items = request_items(request);
    std::size_t total = 0;
    for (const auto& [name, requests] : items.items()) {
        if (!requests.is_array()) throw_serialization("Expected a list of WriteRequest for " + name);
        if (requests.empty() || requests.size() > kMaxBatchWriteRequests) {
            throw_validation(
                "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map "
                "value must "
                "satisfy constraint: [Member must have length less than or equal to 25, Member must have "
                "length "
                "greater than or equal to 1]");
        }
        total += requests.size();
    }
    if (total > kMaxBatchWriteRequests) throw_validation("Too many items requested for the BatchWriteItem call");

    std::vector<WriteRequest> writes;
    for (const auto& [name, requests] : items.items()) {
        const auto table = require_table(name);
        std::set<EncodedKey> seen;
        for (const auto& entry : requests) {
            if (!entry.is_object()) throw_serialization("Expected a WriteRequest structure");
            const Json* put = optional_object(entry, "PutRequest");
            const Json* remove = optional_object(entry, "DeleteRequest");
            if ((put != nullptr) == (remove != nullptr)) {
                throw_validation(
                    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
                    "the supported "
                    "datatypes");
            }
            WriteRequest write{table, {}, std::nullopt};
            if (put) {
                write.item = support::validated_item(*put, "Item");
                write.key = key_of_item(*table, *write.item);
            } else {
                write.key = key_of_key(*table, support::validated_key(*remove, "Key"));
            }
            if (!seen.insert(write.key).second) throw_validation("Provided list of item keys contains duplicates");
            writes.push_back(std::move(write));
        }
    }

    store_.in_transaction([&] {
        for (const auto& write : writes) {
            if (write.item) {
                store_.put_item(write.table->id, write.key, *write.item, item_size(*write.item));
            } else {
                store_.delete_item(write.table->id, write.key);
            }
        }
    });
    return Json{{"UnprocessedItems", Json::object()}};
}

}  // namespace lambdalab::dynamodb
