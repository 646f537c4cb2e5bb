#pragma once
// The DynamoDB operations on parsed JSON requests, independent of HTTP: each takes the request
// body and returns the response body, or throws DynamoException. Runs on one thread.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb/expression.hpp"
#include "dynamodb/expression_inputs.hpp"
#include "dynamodb/table_definition.hpp"

namespace lambdalab::dynamodb {

class TableStore;
struct StoredItem;

struct OperationsOptions {
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
};

class Operations {
  public:
    Operations(TableStore& store, OperationsOptions options);

    // Whether `operation` (the part of X-Amz-Target after "DynamoDB_20120810.") is implemented.
    static bool supports(std::string_view operation);
    Json run(std::string_view operation, const Json& request);

  private:
    // table_operations.cpp
    Json create_table(const Json& request);
    Json describe_table(const Json& request);
    Json list_tables(const Json& request);
    Json delete_table(const Json& request);
    // item_operations.cpp
    Json put_item(const Json& request);
    Json get_item(const Json& request);
    Json update_item(const Json& request);
    Json delete_item(const Json& request);
    // read_operations.cpp
    Json query(const Json& request);
    Json scan(const Json& request);
    // batch_operations.cpp
    Json batch_get_item(const Json& request);
    Json batch_write_item(const Json& request);
    // transaction_operations.cpp
    Json transact_write_items(const Json& request);
    Json transact_get_items(const Json& request);

    std::shared_ptr<const TableDefinition> require_table(const std::string& name, bool name_in_error = false);
    std::string table_arn(const std::string& name) const;

    TableStore& store_;
    OperationsOptions options_;
};

// Pieces several operations share (operation_support.cpp).
namespace support {

// The item of PutItem or a PutRequest, validated, with the size checked.
Json validated_item(const Json& parent, std::string_view field);
// A Key parameter, validated (its shape against the table is checked by key_of_key).
Json validated_key(const Json& parent, std::string_view field);
// ProjectionExpression, or the legacy AttributesToGet as top-level names. nullopt when neither.
std::optional<std::vector<DocumentPath>> projection(const Json& request, ExpressionInputs& inputs);
std::optional<Node> condition(const Json& request, std::string_view field, ExpressionInputs& inputs);
// Rejects the pre-2014 parameters lambdalab does not implement, naming their replacement.
void reject_legacy(const Json& request);
// ConditionalCheckFailedException, carrying the old item when ReturnValuesOnConditionCheckFailure is ALL_OLD.
[[noreturn]] void condition_failed(const Json& request, const std::optional<StoredItem>& old);
// ReturnValues, checked against what this operation allows.
std::string return_values(const Json& request, const std::vector<std::string>& allowed);
// UpdateItem may not touch the key attributes.
void check_key_unchanged(const TableDefinition& table, const UpdateExpression& update);
// The item an update leaves: the old item (or, when there is none, just its key) with the update
// applied, its size checked.
Json updated_item(const std::optional<StoredItem>& old, const Json& key, const std::optional<UpdateExpression>& update);

}  // namespace support

}  // namespace lambdalab::dynamodb
