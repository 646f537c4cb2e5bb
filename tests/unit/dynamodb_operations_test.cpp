#include <gtest/gtest.h>

#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/table_store.hpp"

namespace lambdalab::dynamodb {
namespace {

// The operations end to end on a throwaway in-memory database: no HTTP, no files.
class DynamoOperations : public ::testing::Test {
  protected:
    void SetUp() override {
        run("CreateTable", R"({"TableName": "events", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]})");
    }

    Json run(const char* operation, const std::string& request) {
        return operations_.run(operation, Json::parse(request));
    }

    DynamoError error(const char* operation, const std::string& request) {
        try {
            run(operation, request);
        } catch (const DynamoException& e) {
            return e.error();
        }
        return DynamoError{"none", "no error"};
    }

    void put(const std::string& pk, const std::string& sk, const std::string& extra = "") {
        run("PutItem", R"({"TableName": "events", "Item": {"pk": {"S": ")" + pk + R"("}, "sk": {"N": ")" + sk +
                           R"("})" + (extra.empty() ? "" : ", " + extra) + "}}");
    }

    std::vector<std::string> sort_keys(const Json& response) {
        std::vector<std::string> out;
        for (const auto& item : response["Items"]) out.push_back(item["sk"]["N"].get<std::string>());
        return out;
    }

    TableStore store_{":memory:"};
    Operations operations_{store_, {}};
};

TEST_F(DynamoOperations, QueryOrdersSortKeysNumericallyAndPages) {
    for (const char* sk : {"10", "9", "100", "-1", "2.5", "1e3"}) put("p", sk);
    put("other", "5");
    const std::string base =
        R"({"TableName": "events", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p"}})";
    EXPECT_EQ(sort_keys(run("Query", base + "}")), (std::vector<std::string>{"-1", "2.5", "9", "10", "100", "1000"}));
    EXPECT_EQ(sort_keys(run("Query", base + R"(, "ScanIndexForward": false})")),
              (std::vector<std::string>{"1000", "100", "10", "9", "2.5", "-1"}));

    // Pages of 4: the first ends with a LastEvaluatedKey, which starts the second.
    const Json first = run("Query", base + R"(, "Limit": 4})");
    EXPECT_EQ(sort_keys(first), (std::vector<std::string>{"-1", "2.5", "9", "10"}));
    ASSERT_TRUE(first.contains("LastEvaluatedKey"));
    const Json second =
        run("Query", base + R"(, "Limit": 4, "ExclusiveStartKey": )" + first["LastEvaluatedKey"].dump() + "}");
    EXPECT_EQ(sort_keys(second), (std::vector<std::string>{"100", "1000"}));
    EXPECT_FALSE(second.contains("LastEvaluatedKey"));
}

TEST_F(DynamoOperations, QuerySortKeyConditionsFiltersAndCount) {
    for (int i = 1; i <= 20; ++i)
        put("p", std::to_string(i), R"("even": {"BOOL": )" + std::string(i % 2 ? "false" : "true") + "}");
    const auto query = [&](const std::string& condition, const std::string& values, const std::string& more = "") {
        return run("Query", R"({"TableName": "events", "KeyConditionExpression": ")" + condition +
                                R"(", "ExpressionAttributeValues": {":p": {"S": "p"})" + values + "}" + more + "}");
    };
    EXPECT_EQ(sort_keys(query("pk = :p AND sk BETWEEN :a AND :b", R"(, ":a": {"N": "9"}, ":b": {"N": "11"})")),
              (std::vector<std::string>{"9", "10", "11"}));
    EXPECT_EQ(query("pk = :p AND sk > :a", R"(, ":a": {"N": "18"})")["Count"], 2);
    EXPECT_EQ(query("pk = :p AND sk <= :a", R"(, ":a": {"N": "3"})")["Count"], 3);
    const Json filtered = query("pk = :p AND sk >= :a", R"(, ":a": {"N": "11"}, ":t": {"BOOL": true})",
                                R"(, "FilterExpression": "even = :t", "Select": "COUNT")");
    EXPECT_EQ(filtered["Count"], 5);          // 12, 14, ..., 20
    EXPECT_EQ(filtered["ScannedCount"], 10);  // 11 ... 20 were read
    EXPECT_FALSE(filtered.contains("Items"));
}

TEST_F(DynamoOperations, StringSortKeysSupportBeginsWith) {
    run("CreateTable", R"({"TableName": "files", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "dir", "KeyType": "HASH"}, {"AttributeName": "path", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "dir", "AttributeType": "S"}, {"AttributeName": "path", "AttributeType": "S"}]})");
    for (const char* path : {"a/1", "a/2", "ab", "b/1", "a"}) {
        run("PutItem",
            std::string(R"({"TableName": "files", "Item": {"dir": {"S": "d"}, "path": {"S": ")") + path + R"("}}})");
    }
    const Json found =
        run("Query", R"J({"TableName": "files", "KeyConditionExpression": "dir = :d AND begins_with(#p, :prefix)",
        "ExpressionAttributeNames": {"#p": "path"}, "ExpressionAttributeValues": {":d": {"S": "d"}, ":prefix": {"S": "a/"}}})J");
    ASSERT_EQ(found["Count"], 2);
    EXPECT_EQ(found["Items"][0]["path"]["S"], "a/1");
    EXPECT_EQ(found["Items"][1]["path"]["S"], "a/2");
}

TEST_F(DynamoOperations, ConditionalWritesAndReturnValues) {
    put("p", "1", R"("n": {"N": "5"})");
    const DynamoError failed =
        error("PutItem", R"J({"TableName": "events", "Item": {"pk": {"S": "p"}, "sk": {"N": "1"}},
        "ConditionExpression": "attribute_not_exists(pk)", "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})J");
    EXPECT_EQ(failed.type, "ConditionalCheckFailedException");
    EXPECT_EQ(failed.message, "The conditional request failed");
    EXPECT_EQ(failed.extra["Item"]["n"]["N"], "5");

    const Json updated = run("UpdateItem", R"({"TableName": "events", "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}},
        "UpdateExpression": "SET n = n + :d", "ConditionExpression": "n = :five",
        "ExpressionAttributeValues": {":d": {"N": "2"}, ":five": {"N": "5"}}, "ReturnValues": "UPDATED_NEW"})");
    EXPECT_EQ(updated["Attributes"], Json::parse(R"({"n": {"N": "7"}})"));

    const Json deleted =
        run("DeleteItem",
            R"({"TableName": "events", "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}}, "ReturnValues": "ALL_OLD"})");
    EXPECT_EQ(deleted["Attributes"]["n"]["N"], "7");
    EXPECT_FALSE(
        run("GetItem", R"({"TableName": "events", "Key": {"pk": {"S": "p"}, "sk": {"N": "1"}}})").contains("Item"));
}

TEST_F(DynamoOperations, UpdateItemCreatesMissingItemsButNeverChangesKeys) {
    run("UpdateItem", R"({"TableName": "events", "Key": {"pk": {"S": "new"}, "sk": {"N": "1"}},
        "UpdateExpression": "ADD hits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}})");
    const Json got = run("GetItem", R"({"TableName": "events", "Key": {"pk": {"S": "new"}, "sk": {"N": "1"}}})");
    EXPECT_EQ(got["Item"], Json::parse(R"({"pk": {"S": "new"}, "sk": {"N": "1"}, "hits": {"N": "1"}})"));
    EXPECT_EQ(error("UpdateItem", R"({"TableName": "events", "Key": {"pk": {"S": "new"}, "sk": {"N": "1"}},
        "UpdateExpression": "SET sk = :two", "ExpressionAttributeValues": {":two": {"N": "2"}}})")
                  .message,
              "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part "
              "of the key");
}

TEST_F(DynamoOperations, BadRequestsGetDynamoDbsErrors) {
    EXPECT_EQ(error("PutItem", R"({"TableName": "events", "Item": {"pk": {"S": "p"}}})").message,
              "One of the required keys was not given a value");
    EXPECT_EQ(error("PutItem", R"({"TableName": "events", "Item": {"pk": {"S": "p"}, "sk": {"S": "1"}}})").message,
              "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S");
    EXPECT_EQ(error("GetItem", R"({"TableName": "events", "Key": {"pk": {"S": "p"}, "sk": {"S": "1"}}})").message,
              "The provided key element does not match the schema");
    EXPECT_EQ(error("GetItem", R"({"TableName": "events", "Key": {"pk": {"S": "p"}}})").message,
              "The provided key element does not match the schema");
    const DynamoError missing = error("GetItem", R"({"TableName": "nothere", "Key": {"pk": {"S": "p"}}})");
    EXPECT_EQ(missing.type, "ResourceNotFoundException");
    EXPECT_EQ(missing.message, "Requested resource not found");
    EXPECT_EQ(error("CreateTable", R"({"TableName": "events", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]})")
                  .type,
              "ResourceInUseException");
    const std::string big(400 * 1024, 'x');
    EXPECT_EQ(
        error("PutItem", R"({"TableName": "events", "Item": {"pk": {"S": "p"}, "sk": {"N": "1"}, "big": {"S": ")" +
                             big + R"("}}})")
            .message,
        "Item size has exceeded the maximum allowed size");
    EXPECT_EQ(
        error(
            "Query",
            R"({"TableName": "events", "KeyConditionExpression": "sk = :s", "ExpressionAttributeValues": {":s": {"N": "1"}}})")
            .message,
        "Query condition missed key schema element: pk");
}

TEST_F(DynamoOperations, BatchesWriteAtomicallyAndReadBack) {
    const Json written = run("BatchWriteItem", R"({"RequestItems": {"events": [
        {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "b"}, "sk": {"N": "3"}}}}]}})");
    EXPECT_EQ(written["UnprocessedItems"], Json::object());
    const Json read = run("BatchGetItem", R"({"RequestItems": {"events": {"Keys": [
        {"pk": {"S": "b"}, "sk": {"N": "1"}}, {"pk": {"S": "b"}, "sk": {"N": "2"}}, {"pk": {"S": "b"}, "sk": {"N": "9"}}]}}})");
    EXPECT_EQ(read["Responses"]["events"].size(), 2u);

    // One bad request in a batch writes nothing.
    EXPECT_EQ(error("BatchWriteItem", R"({"RequestItems": {"events": [
        {"PutRequest": {"Item": {"pk": {"S": "c"}, "sk": {"N": "1"}}}},
        {"PutRequest": {"Item": {"pk": {"S": "c"}}}}]}})")
                  .message,
              "One of the required keys was not given a value");
    EXPECT_FALSE(
        run("GetItem", R"({"TableName": "events", "Key": {"pk": {"S": "c"}, "sk": {"N": "1"}}})").contains("Item"));
    EXPECT_EQ(error("BatchWriteItem", R"({"RequestItems": {"events": [
        {"PutRequest": {"Item": {"pk": {"S": "c"}, "sk": {"N": "1"}}}},
        {"DeleteRequest": {"Key": {"pk": {"S": "c"}, "sk": {"N": "1.0"}}}}]}})")
                  .message,
              "Provided list of item keys contains duplicates");
}

TEST_F(DynamoOperations, TransactionsAreAllOrNothing) {
    put("t", "1", R"("n": {"N": "1"})");
    const std::string transfer = R"J({"TransactItems": [
        {"Update": {"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}}, "UpdateExpression": "SET n = n - :one",
                    "ConditionExpression": "n >= :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Put": {"TableName": "events", "Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}, "ConditionExpression": "attribute_not_exists(pk)"}}]})J";
    EXPECT_EQ(run("TransactWriteItems", transfer), Json::object());
    const auto n_of_first = [&] {
        return run("GetItem",
                   R"({"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}}})")["Item"]["n"]["N"];
    };
    EXPECT_EQ(n_of_first(), "0");

    // Now both conditions fail: nothing is written, and each action gets its reason.
    const DynamoError cancelled = error("TransactWriteItems", transfer);
    EXPECT_EQ(cancelled.type, "TransactionCanceledException");
    EXPECT_EQ(cancelled.message,
              "Transaction cancelled, please refer cancellation reasons for specific reasons "
              "[ConditionalCheckFailed, ConditionalCheckFailed]");
    EXPECT_EQ(cancelled.extra["CancellationReasons"].size(), 2u);
    EXPECT_EQ(n_of_first(), "0");

    EXPECT_EQ(error("TransactWriteItems", R"J({"TransactItems": [
        {"Delete": {"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_exists(pk)"}}]})J")
                  .message,
              "Transaction request cannot include multiple operations on one item");
    const Json got = run("TransactGetItems", R"({"TransactItems": [
        {"Get": {"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "2"}}}},
        {"Get": {"TableName": "events", "Key": {"pk": {"S": "t"}, "sk": {"N": "3"}}}}]})");
    EXPECT_EQ(got["Responses"], Json::parse(R"([{"Item": {"pk": {"S": "t"}, "sk": {"N": "2"}}}, {}])"));
}

TEST_F(DynamoOperations, TablesAreListedDescribedAndDeleted) {
    put("p", "1");
    const Json described = run("DescribeTable", R"({"TableName": "events"})");
    EXPECT_EQ(described["Table"]["ItemCount"], 1);
    EXPECT_EQ(described["Table"]["TableStatus"], "ACTIVE");
    EXPECT_EQ(described["Table"]["TableArn"], "arn:aws:dynamodb:us-east-1:123456789012:table/events");
    EXPECT_EQ(run("ListTables", "{}")["TableNames"], Json::parse(R"(["events"])"));
    EXPECT_EQ(run("DeleteTable", R"({"TableName": "events"})")["TableDescription"]["TableStatus"], "DELETING");
    EXPECT_EQ(error("DescribeTable", R"({"TableName": "events"})").message,
              "Requested resource not found: Table: events not found");
}

}  // namespace
}  // namespace lambdalab::dynamodb
