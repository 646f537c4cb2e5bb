#include "api/request_target.hpp"

#include <gtest/gtest.h>

namespace lambdalab::api {
namespace {

TEST(ParseTarget, DecodesSegmentsAndQuery) {
    const auto t = parse_target(
        "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/"
        "invocations?Qualifier=%24LATEST&x=a+b");
    ASSERT_TRUE(t);
    ASSERT_EQ(t->segments.size(), 4u);
    EXPECT_EQ(t->segments[2], "arn:aws:lambda:us-east-1:123456789012:function:f");
    EXPECT_EQ(t->query.at("Qualifier"), "$LATEST");
    EXPECT_EQ(t->query.at("x"), "a b");
}

TEST(ParseTarget, IgnoresEmptySegments) {
    const auto t = parse_target("//2015-03-31/functions/");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->segments, (std::vector<std::string>{"2015-03-31", "functions"}));
}

TEST(PercentDecode, RefusesBrokenEscapes) {
    EXPECT_FALSE(percent_decode("%zz"));
    EXPECT_FALSE(percent_decode("abc%4"));
    EXPECT_FALSE(percent_decode("%"));
    EXPECT_EQ(percent_decode("%41%62"), "Ab");
    EXPECT_FALSE(parse_target("/a%g1/b"));
}

}  // namespace
}  // namespace lambdalab::api
