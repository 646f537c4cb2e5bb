#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "common/base64.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"

namespace lambdalab {
namespace {

TEST(Base64, RoundTripsEveryLength) {
    std::string data;
    for (int i = 0; i < 300; ++i) {
        EXPECT_EQ(base64_decode(base64_encode(data)), data) << i;
        data += static_cast<char>(i * 37);
    }
    EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
    EXPECT_EQ(base64_encode("hi"), "aGk=");
}

TEST(Base64, RefusesMalformedInput) {
    for (const char* bad : {"abc", "a===", "ab=c", "!!!!", "aGk=aGk="}) EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(Ids, UuidsAreVersion4AndDistinct) {
    const std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = new_uuid();
        ASSERT_TRUE(std::regex_match(id, shape)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_TRUE(std::regex_match(random_hex(32), std::regex("^[0-9a-f]{32}$")));
}

TEST(TimeFormat, LambdaFormats) {
    const WallTime t = WallTime(std::chrono::milliseconds(1605037617874));  // 2020-11-10T19:46:57.874Z
    EXPECT_EQ(iso8601_ms(t), "2020-11-10T19:46:57.874Z");
    EXPECT_EQ(lambda_timestamp(t), "2020-11-10T19:46:57.874+0000");
    EXPECT_EQ(log_stream_date(t), "2020/11/10");
    EXPECT_EQ(two_decimals(79.666), "79.67");
    EXPECT_EQ(epoch_ms(t), 1605037617874);
}

}  // namespace
}  // namespace lambdalab
