#include <gtest/gtest.h>

#include "dynamodb/decimal.hpp"

namespace lambdalab::dynamodb {
namespace {

Decimal number(const char* text) {
    auto parsed = Decimal::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(Decimal{});
}

TEST(DynamoDecimal, ParsesTheFormsDynamoDbAcceptsIntoCanonicalText) {
    EXPECT_EQ(number("10").to_string(), "10");
    EXPECT_EQ(number("1.0").to_string(), "1");
    EXPECT_EQ(number("+007.50").to_string(), "7.5");
    EXPECT_EQ(number("-.5").to_string(), "-0.5");
    EXPECT_EQ(number("5.").to_string(), "5");
    EXPECT_EQ(number("1e3").to_string(), "1000");
    EXPECT_EQ(number("1.25E-3").to_string(), "0.00125");
    EXPECT_EQ(number("-0").to_string(), "0");
    EXPECT_EQ(number("0.000").to_string(), "0");
}

TEST(DynamoDecimal, RejectsWhatIsNotANumber) {
    for (const char* text : {"", "abc", "1.2.3", "1e", "--1", "1 ", " 1", ".", "e5", "0x10", "NaN", "Infinity"}) {
        EXPECT_FALSE(Decimal::parse(text).has_value()) << text;
    }
}

TEST(DynamoDecimal, ComparesNumericallyNotAsText) {
    EXPECT_GT(number("10").compare(number("9")), 0);
    EXPECT_LT(number("-10").compare(number("-9")), 0);
    EXPECT_LT(number("0.12").compare(number("0.123")), 0);
    EXPECT_GT(number("-0.12").compare(number("-0.123")), 0);
    EXPECT_EQ(number("1.0").compare(number("1")), 0);
    EXPECT_LT(number("-1").compare(number("0")), 0);
    EXPECT_LT(number("99999999999999999999999999999999999999").compare(number("1e38")), 0);
}

TEST(DynamoDecimal, AddsAndSubtractsExactly) {
    EXPECT_EQ((number("0.1") + number("0.2")).to_string(), "0.3");
    EXPECT_EQ((number("10") - number("10.5")).to_string(), "-0.5");
    EXPECT_EQ((number("-3") + number("3")).to_string(), "0");
    EXPECT_EQ((number("99999999999999999999") + number("1")).to_string(), "100000000000000000000");
    EXPECT_EQ((number("1e20") - number("1")).to_string(), "99999999999999999999");
    EXPECT_EQ((number("-2") - number("-5")).to_string(), "3");
}

TEST(DynamoDecimal, ReportsDynamoDbsRangeLimits) {
    EXPECT_EQ(number("9.9999999999999999999999999999999999999E+125").range_error(), "");
    EXPECT_EQ(number("1E-130").range_error(), "");
    EXPECT_NE(number("1E+126").range_error().find("Number overflow"), std::string::npos);
    EXPECT_NE(number("1E-131").range_error().find("Number underflow"), std::string::npos);
    EXPECT_NE(number("1234567890123456789012345678901234567890").range_error().find("38 significant digits"),
              std::string::npos);
    EXPECT_EQ(number("1234567890123456789012345678901234567800000").range_error(),
              "");  // trailing zeros are not significant
}

}  // namespace
}  // namespace lambdalab::dynamodb
