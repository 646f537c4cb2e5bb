#include "control/function_name.hpp"

#include <gtest/gtest.h>

namespace lambdalab::control {
namespace {

TEST(ParseFunctionName, AcceptsEveryFormTheInvokeApiAccepts) {
    auto plain = parse_function_name("my-fn_1");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->name, "my-fn_1");
    EXPECT_EQ(plain->qualifier, "");

    auto qualified = parse_function_name("f:$LATEST");
    ASSERT_TRUE(qualified);
    EXPECT_EQ(qualified->qualifier, "$LATEST");

    auto arn = parse_function_name("arn:aws:lambda:us-east-1:123456789012:function:f:prod");
    ASSERT_TRUE(arn);
    EXPECT_EQ(arn->name, "f");
    EXPECT_EQ(arn->qualifier, "prod");
    EXPECT_EQ(arn->region, "us-east-1");
    EXPECT_EQ(arn->account, "123456789012");

    auto partial = parse_function_name("123456789012:function:f");
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->name, "f");
    EXPECT_EQ(partial->account, "123456789012");

    EXPECT_TRUE(parse_function_name("arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f"));
}

TEST(ParseFunctionName, RefusesWhatLambdaRefuses) {
    for (const char* bad : {"", "bad name", "f:", "a:b:c", "arn:aws:lambda:us-east-1:123:function:f",
                            "arn:aws:s3:us-east-1:123456789012:function:f", "12345:function:f", "f:bad qualifier"}) {
        EXPECT_FALSE(parse_function_name(bad)) << bad;
    }
}

TEST(FunctionNameRules, CreateFunctionAllowsUpTo64NameCharacters) {
    EXPECT_TRUE(is_valid_function_name(std::string(64, 'a')));
    EXPECT_FALSE(is_valid_function_name(std::string(65, 'a')));
    EXPECT_FALSE(is_valid_function_name("has.dot"));
    EXPECT_TRUE(is_valid_qualifier("$LATEST"));
    EXPECT_FALSE(is_valid_qualifier("$PREVIOUS"));
}

}  // namespace
}  // namespace lambdalab::control
