#include <gtest/gtest.h>

#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_eval.hpp"
#include "dynamodb/expression_parser.hpp"
#include "dynamodb/update_apply.hpp"

namespace lambdalab::dynamodb {
namespace {

const Json kItem = Json::parse(R"({
    "pk": {"S": "user#1"}, "age": {"N": "10"}, "name": {"S": "Ada"}, "tags": {"SS": ["a", "b"]},
    "scores": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}, "profile": {"M": {"city": {"S": "Paris"}, "zip": {"N": "75001"}}},
    "active": {"BOOL": true}, "payload": {"B": "AQID"}})");

ExpressionInputs inputs(const char* request) {
    return ExpressionInputs(Json::parse(request));
}

bool holds(const char* expression, const char* request = R"({})") {
    ExpressionInputs in = inputs(request);
    return evaluate_condition(parse_condition(expression, in, "ConditionExpression"), kItem);
}

std::string error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const DynamoException& e) {
        return e.error().message;
    }
    return "no error";
}

TEST(DynamoExpressions, ComparisonsAreTypedAndNumeric) {
    const char* values =
        R"({"ExpressionAttributeValues": {":nine": {"N": "9"}, ":ten": {"N": "10.0"}, ":s": {"S": "10"}}})";
    EXPECT_TRUE(holds("age > :nine", values));  // 10 > 9 numerically, not "10" < "9"
    EXPECT_TRUE(holds("age = :ten", values));   // 10 == 10.0
    EXPECT_FALSE(holds("age = :s AND age <> :ten", values));
    EXPECT_TRUE(holds("age <> :s", values));  // different types are never equal
    EXPECT_FALSE(holds("age < :s", values));  // nor ordered
    EXPECT_TRUE(holds(":nine < age", values));
    EXPECT_TRUE(holds("age BETWEEN :nine AND :ten", values));
    EXPECT_TRUE(holds("age IN (:s, :ten)", values));
}

TEST(DynamoExpressions, MissingAttributesCompareFalseExceptNotEqual) {
    const char* values = R"({"ExpressionAttributeValues": {":v": {"N": "1"}}})";
    EXPECT_FALSE(holds("absent = :v", values));
    EXPECT_FALSE(holds("absent < :v", values));
    EXPECT_TRUE(holds("absent <> :v", values));
}

TEST(DynamoExpressions, FunctionsAndBooleanLogic) {
    const char* request = R"({"ExpressionAttributeNames": {"#n": "name"},
                              "ExpressionAttributeValues": {":p": {"S": "Ad"}, ":t": {"S": "a"}, ":two": {"N": "2"}, ":type": {"S": "SS"},
                                                            ":three": {"N": "3"}, ":city": {"S": "Paris"}, ":b": {"B": "AQ=="}}})";
    EXPECT_TRUE(holds("begins_with(#n, :p) AND contains(tags, :t)", request));
    EXPECT_TRUE(holds("attribute_exists(profile.city) AND attribute_not_exists(profile.street)", request));
    EXPECT_TRUE(holds("attribute_type(tags, :type) AND size(tags) = :two AND size(scores) = :three", request));
    EXPECT_TRUE(holds("contains(scores, :two) AND profile.city = :city AND scores[1] = :two", request));
    EXPECT_TRUE(holds("begins_with(payload, :b)", request));
    EXPECT_TRUE(holds("NOT (attribute_exists(nope) OR size(#n) > :three) AND active = active", request));
    EXPECT_FALSE(holds("attribute_exists(nope) or attribute_exists(nope2)", request));
    // AND binds tighter than OR.
    EXPECT_TRUE(holds("attribute_exists(pk) OR attribute_exists(nope) AND attribute_exists(nope2)", request));
}

TEST(DynamoExpressions, ParseErrorsUseDynamoDbsWording) {
    EXPECT_EQ(error_of([] { holds("status = :v", R"({"ExpressionAttributeValues": {":v": {"S": "x"}}})"); }),
              "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
    EXPECT_EQ(error_of([] { holds("#x = :v", R"({"ExpressionAttributeValues": {":v": {"S": "x"}}})"); }),
              "Invalid ConditionExpression: An expression attribute name used in the document path is not "
              "defined; attribute name: #x");
    EXPECT_EQ(error_of([] { holds("age = :v"); }),
              "Invalid ConditionExpression: An expression attribute value used in expression is not defined; "
              "attribute value: :v");
    EXPECT_EQ(error_of([] { holds("age = = :v", R"({"ExpressionAttributeValues": {":v": {"S": "x"}}})"); }),
              "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= =\"");
    EXPECT_EQ(error_of([] { holds(""); }), "Invalid ConditionExpression: The expression can not be empty;");
    EXPECT_EQ(error_of([] { holds("foo(age)"); }), "Invalid ConditionExpression: Invalid function name; function: foo");
    EXPECT_EQ(error_of([] { holds("begins_with(age)"); }),
              "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator "
              "or function: "
              "begins_with, number of operands: 1");
    EXPECT_EQ(error_of([] {
                  holds("age BETWEEN :hi AND :lo",
                        R"({"ExpressionAttributeValues": {":lo": {"N": "1"}, ":hi": {"N": "5"}}})");
              }),
              "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or "
              "equal to lower bound; "
              "lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}");
}

TEST(DynamoExpressions, ExpressionsAreLimitedTo4Kb) {
    std::string text = "attribute_exists(a)";
    while (text.size() <= 4096) text += " AND attribute_exists(a)";
    ExpressionInputs in;
    EXPECT_EQ(error_of([&] { parse_condition(text, in, "FilterExpression"); }),
              "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: " +
                  std::to_string(text.size()));
    const std::string nested = std::string(1000, '(') + "attribute_exists(a)" + std::string(1000, ')');
    EXPECT_TRUE(
        evaluate_condition(parse_condition(nested, in, "FilterExpression"), Json::parse(R"({"a": {"S": "x"}})")));
}

TEST(DynamoExpressions, UnusedNamesAndValuesAreRejected) {
    ExpressionInputs in = inputs(
        R"({"ExpressionAttributeNames": {"#a": "age", "#b": "b"}, "ExpressionAttributeValues": {":v": {"N": "1"}}})");
    parse_condition("#a = :v", in, "ConditionExpression");
    EXPECT_EQ(error_of([&] { in.check_all_used(true); }),
              "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
}

Json updated(const char* expression, const char* request = R"({})") {
    ExpressionInputs in = inputs(request);
    return apply_update(parse_update(expression, in), kItem);
}

TEST(DynamoExpressions, UpdatesSetRemoveAddDelete) {
    const char* request =
        R"({"ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"}, ":more": {"L": [{"N": "4"}]},
                                                            ":tags": {"SS": ["b", "c"]}, ":drop": {"SS": ["a"]}, ":x": {"S": "x"}}})";
    const Json item = updated(
        "SET age = age + :one, tally = if_not_exists(tally, :zero) - :one, scores = list_append(scores, "
        ":more), "
        "profile.city = :x REMOVE active, profile.zip ADD tags :tags, visits :one DELETE absent :drop",
        request);
    EXPECT_EQ(item["age"], Json::parse(R"({"N": "11"})"));
    EXPECT_EQ(item["tally"], Json::parse(R"({"N": "-1"})"));
    EXPECT_EQ(item["scores"], Json::parse(R"({"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}, {"N": "4"}]})"));
    EXPECT_EQ(item["profile"], Json::parse(R"({"M": {"city": {"S": "x"}}})"));
    EXPECT_FALSE(item.contains("active"));
    EXPECT_EQ(item["tags"], Json::parse(R"({"SS": ["a", "b", "c"]})"));
    EXPECT_EQ(item["visits"], Json::parse(R"({"N": "1"})"));

    // Every operand reads the item as it was; an index past the end appends.
    const Json swapped = updated("SET scores[0] = scores[2], scores[2] = scores[0], scores[9] = :one", request);
    EXPECT_EQ(swapped["scores"], Json::parse(R"({"L": [{"N": "3"}, {"N": "2"}, {"N": "1"}, {"N": "1"}]})"));
    const Json dropped = updated("DELETE tags :drop", request);
    EXPECT_EQ(dropped["tags"], Json::parse(R"({"SS": ["b"]})"));
    const Json removed = updated("REMOVE scores[0], scores[2]");
    EXPECT_EQ(removed["scores"], Json::parse(R"({"L": [{"N": "2"}]})"));
}

TEST(DynamoExpressions, UpdateErrorsMatchDynamoDb) {
    const char* values = R"({"ExpressionAttributeValues": {":one": {"N": "1"}, ":s": {"S": "x"}}})";
    EXPECT_EQ(error_of([&] { updated("SET name = name + :one", values); }),
              "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
    EXPECT_EQ(error_of([&] { updated("SET pk = pk + :one", values); }),
              "An operand in the update expression has an incorrect data type");
    EXPECT_EQ(error_of([&] { updated("SET x = nope + :one", values); }),
              "The provided expression refers to an attribute that does not exist in the item");
    EXPECT_EQ(error_of([&] { updated("SET nope.deeper = :one", values); }),
              "The document path provided in the update expression is invalid for update");
    EXPECT_EQ(error_of([&] { updated("ADD age :s", values); }),
              "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, "
              "operand type: STRING");
    EXPECT_EQ(error_of([&] { updated("SET age = :one REMOVE age", values); }),
              "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite "
              "one of these paths; "
              "path one: [age], path two: [age]");
    EXPECT_EQ(error_of([&] { updated("SET age = :one SET pk = :s", values); }),
              "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    EXPECT_EQ(error_of([&] { updated("SET age = attribute_exists(age)", values); }),
              "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; "
              "function: attribute_exists");
}

TEST(DynamoExpressions, ProjectionsPickNestedPaths) {
    ExpressionInputs in = inputs(R"({"ExpressionAttributeNames": {"#n": "name"}})");
    const Json projected = project(kItem, parse_projection("#n, profile.city, scores[2], scores[0], nope", in));
    EXPECT_EQ(projected, Json::parse(R"({"name": {"S": "Ada"}, "profile": {"M": {"city": {"S": "Paris"}}},
                                         "scores": {"L": [{"N": "1"}, {"N": "3"}]}})"));
    ExpressionInputs none;
    EXPECT_NE(error_of([&] { parse_projection("profile, profile.city", none); }).find("Two document paths overlap"),
              std::string::npos);
}

}  // namespace
}  // namespace lambdalab::dynamodb
