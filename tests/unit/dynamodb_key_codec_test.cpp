#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "common/base64.hpp"
#include "dynamodb/decimal.hpp"
#include "dynamodb/key_codec.hpp"

namespace lambdalab::dynamodb {
namespace {

Json n(const std::string& text) {
    return Json{{"N", text}};
}

// The store orders rows by the encodings' bytes; that order must be DynamoDB's.
TEST(DynamoKeyCodec, NumberEncodingsSortNumerically) {
    const std::vector<std::string> ascending = {"-1e125", "-100",    "-10", "-9.5",   "-9",   "-0.123",
                                                "-0.12",  "-1e-130", "0",   "1e-130", "0.12", "0.123",
                                                "1",      "9",       "10",  "10.5",   "100",  "9.9e125"};
    for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
        EXPECT_LT(encode_key_value(n(ascending[i])), encode_key_value(n(ascending[i + 1])))
            << ascending[i] << " vs " << ascending[i + 1];
    }
}

TEST(DynamoKeyCodec, EqualNumbersEncodeEqually) {
    EXPECT_EQ(encode_key_value(n("1")), encode_key_value(n("1.000")));
    EXPECT_EQ(encode_key_value(n("1000")), encode_key_value(n("1e3")));
}

TEST(DynamoKeyCodec, RandomNumbersSortLikeDecimals) {
    std::mt19937 random(42);
    std::uniform_int_distribution<int> digit(0, 9), length(1, 12), exponent(-20, 20), sign(0, 1);
    std::vector<std::string> numbers;
    for (int i = 0; i < 500; ++i) {
        std::string text = sign(random) ? "-" : "";
        const int digits = length(random);
        for (int d = 0; d < digits; ++d) text += static_cast<char>('0' + digit(random));
        numbers.push_back(text + "e" + std::to_string(exponent(random)));
    }
    for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
        const int by_value = Decimal::parse(numbers[i])->compare(*Decimal::parse(numbers[i + 1]));
        const int by_key = encode_key_value(n(numbers[i])).compare(encode_key_value(n(numbers[i + 1])));
        EXPECT_EQ(by_value < 0, by_key < 0) << numbers[i] << " vs " << numbers[i + 1];
        EXPECT_EQ(by_value == 0, by_key == 0) << numbers[i] << " vs " << numbers[i + 1];
    }
}

TEST(DynamoKeyCodec, StringsSortByUtf8Bytes) {
    // By UTF-8 bytes "Z" < "a" < "é" (0xC3 0xA9) < "中" (0xE4 ...), and a prefix sorts first.
    const std::vector<std::string> ascending = {"", "A", "Z", "a", "ab", "b", "\xC3\xA9", "\xE4\xB8\xAD"};
    for (std::size_t i = 0; i + 1 < ascending.size(); ++i) {
        EXPECT_LT(encode_key_value(Json{{"S", ascending[i]}}), encode_key_value(Json{{"S", ascending[i + 1]}}));
    }
}

TEST(DynamoKeyCodec, BinariesSortByBytesAndPrefixesBoundTheirRange) {
    const auto b = [](std::string bytes) { return Json{{"B", base64_encode(bytes)}}; };
    EXPECT_LT(encode_key_value(b(std::string("\x01", 1))), encode_key_value(b(std::string("\x01\x00", 2))));
    EXPECT_LT(encode_key_value(b("\x7f")), encode_key_value(b("\x80")));
    EXPECT_LT(encode_key_value(b("\x80")), encode_key_value(b("\xff")));
    const std::string prefix = encode_key_value(Json{{"S", "ab"}});
    EXPECT_LT(encode_key_value(Json{{"S", "ab\xff\xff"}}), prefix_upper_bound(prefix));
    EXPECT_GT(encode_key_value(Json{{"S", "ac"}}), prefix_upper_bound(prefix));
}

}  // namespace
}  // namespace lambdalab::dynamodb
