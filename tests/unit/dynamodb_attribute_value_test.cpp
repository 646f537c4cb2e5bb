#include <gtest/gtest.h>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {
namespace {

std::string validation_message(Json value) {
    try {
        validate_value(value);
    } catch (const DynamoException& e) {
        return e.error().type + ": " + e.error().message;
    }
    return "valid";
}

TEST(DynamoAttributeValue, AcceptsEveryTypeAndCanonicalizes) {
    Json value = Json::parse(
        R"({"M": {"n": {"N": "01.50"}, "ns": {"NS": ["1e1", "2"]}, "b": {"B": "AQID"}, "l": {"L": [{"BOOL": true}, {"NULL": true}]},
                                      "ss": {"SS": ["a", "b"]}, "bs": {"BS": ["AQ=="]}, "s": {"S": ""}}})");
    validate_value(value);
    EXPECT_EQ(value["M"]["n"]["N"], "1.5");
    EXPECT_EQ(value["M"]["ns"]["NS"], Json::parse(R"(["10", "2"])"));
    EXPECT_EQ(type_of(value), AttrType::M);
}

TEST(DynamoAttributeValue, RejectsInvalidValuesWithDynamoDbsMessages) {
    EXPECT_EQ(validation_message(Json::object()),
              "ValidationException: Supplied AttributeValue is empty, must contain exactly one of the "
              "supported datatypes");
    EXPECT_EQ(validation_message(Json::parse(R"({"S": "a", "N": "1"})")),
              "ValidationException: Supplied AttributeValue has more than one datatypes set, must contain "
              "exactly one of the supported datatypes");
    EXPECT_EQ(validation_message(Json::parse(R"({"N": "abc"})")),
              "ValidationException: The parameter cannot be converted to a numeric value: abc");
    EXPECT_EQ(validation_message(Json::parse(R"({"SS": []})")),
              "ValidationException: One or more parameter values were invalid: An string set  may not be empty");
    EXPECT_EQ(validation_message(Json::parse(R"({"SS": ["a", "a"]})")),
              "ValidationException: One or more parameter values were invalid: Input collection [a, a] "
              "contains duplicates.");
    EXPECT_EQ(validation_message(Json::parse(R"({"NS": ["1", "1.0"]})")),
              "ValidationException: Input collection contains duplicates");
    EXPECT_EQ(validation_message(Json::parse(R"({"NULL": false})")),
              "ValidationException: One or more parameter values were invalid: Null attribute value types "
              "must have the value of true");
    EXPECT_EQ(validation_message(Json::parse(R"({"N": "1e200"})")),
              "ValidationException: Number overflow. Attempting to store a number with magnitude larger than "
              "supported range");
    EXPECT_EQ(validation_message(Json::parse(R"({"S": 5})")).substr(0, 22), "SerializationException");
    EXPECT_EQ(validation_message(Json::parse(R"({"B": "not base64!"})")).substr(0, 22), "SerializationException");
}

TEST(DynamoAttributeValue, ComparesNumbersNumericallyAndSetsAsSets) {
    EXPECT_TRUE(values_equal(Json{{"N", "1"}}, Json{{"N", "1.0"}}));
    EXPECT_FALSE(values_equal(Json{{"N", "1"}}, Json{{"S", "1"}}));
    EXPECT_TRUE(values_equal(Json::parse(R"({"SS": ["a", "b"]})"), Json::parse(R"({"SS": ["b", "a"]})")));
    EXPECT_FALSE(values_equal(Json::parse(R"({"L": [{"S": "a"}, {"S": "b"}]})"),
                              Json::parse(R"({"L": [{"S": "b"}, {"S": "a"}]})")));
    EXPECT_TRUE(
        values_equal(Json::parse(R"({"M": {"x": {"N": "2"}}})"), Json::parse(R"({"M": {"x": {"N": "2.00"}}})")));

    EXPECT_EQ(compare_values(Json{{"N", "10"}}, Json{{"N", "9"}}), 1);
    EXPECT_EQ(compare_values(Json{{"S", "10"}}, Json{{"S", "9"}}), -1);
    EXPECT_EQ(compare_values(Json{{"S", "\xC3\xA9"}}, Json{{"S", "z"}}), 1);  // UTF-8 bytes, not signed chars
    EXPECT_EQ(compare_values(Json{{"B", "/w=="}}, Json{{"B", "AQ=="}}), 1);   // 0xFF > 0x01
    EXPECT_EQ(compare_values(Json{{"N", "1"}}, Json{{"S", "1"}}), std::nullopt);
    EXPECT_EQ(compare_values(Json{{"BOOL", true}}, Json{{"BOOL", true}}), std::nullopt);
}

TEST(DynamoAttributeValue, SizesFollowDynamoDbsRules) {
    EXPECT_EQ(value_size(Json{{"S", "abc"}}), 3u);
    EXPECT_EQ(value_size(Json{{"S", "\xC3\xA9"}}), 2u);  // UTF-8 bytes
    EXPECT_EQ(value_size(Json{{"B", "AQID"}}), 3u);      // raw bytes, not base64 characters
    EXPECT_EQ(value_size(Json{{"N", "12345"}}), 4u);     // 3 bytes for 5 digits, plus 1
    EXPECT_EQ(value_size(Json{{"BOOL", false}}), 1u);
    EXPECT_EQ(value_size(Json::parse(R"({"L": [{"S": "ab"}, {"NULL": true}]})")), 3u + 3u + 2u);
    EXPECT_EQ(value_size(Json::parse(R"({"M": {"k": {"S": "ab"}}})")), 3u + 1u + 2u + 1u);
    EXPECT_EQ(item_size(Json::parse(R"({"name": {"S": "value"}, "n": {"N": "1"}})")), 4u + 5u + 1u + 2u);
}

}  // namespace
}  // namespace lambdalab::dynamodb
