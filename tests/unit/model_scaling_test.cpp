#include <gtest/gtest.h>

#include "model/scaling.hpp"

namespace lambdalab::model {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(TokenBucket, StartsFullAndRefillsContinuously) {
    ManualClock clock;
    TokenBucket bucket(1000, 100, clock.now());
    for (int i = 0; i < 1000; ++i) ASSERT_TRUE(bucket.try_take(clock.now())) << i;
    EXPECT_FALSE(bucket.try_take(clock.now()));
    clock.advance(milliseconds(10));  // 100/s: one token per 10 ms
    EXPECT_TRUE(bucket.try_take(clock.now()));
    EXPECT_FALSE(bucket.try_take(clock.now()));
    clock.advance(seconds(10));
    EXPECT_DOUBLE_EQ(bucket.available(clock.now()), 1000);  // never above capacity
}

TEST(BurstLimit, AllowsTheBurstThenGrowsByAStepPerMinuteUnderPressure) {
    ManualClock clock;
    BurstLimit limit(3000, 500);
    EXPECT_TRUE(limit.allows(3000, clock.now()));
    EXPECT_FALSE(limit.allows(3001, clock.now()));
    clock.advance(seconds(59));
    EXPECT_FALSE(limit.allows(3001, clock.now()));
    clock.advance(seconds(1));
    EXPECT_TRUE(limit.allows(3500, clock.now()));
    EXPECT_FALSE(limit.allows(3501, clock.now()));
    clock.advance(std::chrono::minutes(2));
    EXPECT_TRUE(limit.allows(4500, clock.now()));
    EXPECT_EQ(limit.ceiling(), 4500);
}

}  // namespace
}  // namespace lambdalab::model
