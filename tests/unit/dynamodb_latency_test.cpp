#include <gtest/gtest.h>

#include <stdexcept>

#include "dynamodb/latency.hpp"

namespace lambdalab::dynamodb {
namespace {

TEST(DynamoLatency, ParsesEveryForm) {
    EXPECT_FALSE(Latency::parse("none").enabled());
    EXPECT_FALSE(Latency::parse("0").enabled());
    const Latency fixed = Latency::parse("10");
    EXPECT_EQ(fixed.mean_ms, 10);
    EXPECT_EQ(fixed.jitter_ms, 0);
    const Latency jittered = Latency::parse("4:1");
    EXPECT_EQ(jittered.mean_ms, 4);
    EXPECT_EQ(jittered.jitter_ms, 1);
    EXPECT_EQ(Latency::parse("2.5+-0.5").describe(), "2.5+-0.5 ms");
    EXPECT_EQ(Latency::parse("4\xC2\xB1"
                             "1")
                  .jitter_ms,
              1);
    for (const char* bad : {"", "fast", "-1", "4:", ":1", "4:x"})
        EXPECT_THROW(Latency::parse(bad), std::invalid_argument) << bad;
}

TEST(DynamoLatency, SamplesStayWithinTheJitterBand) {
    std::mt19937_64 random(7);
    const Latency latency{4, 1};
    long long low = 1'000'000, high = 0;
    for (int i = 0; i < 2000; ++i) {
        const long long us = latency.sample(random).count();
        low = std::min(low, us);
        high = std::max(high, us);
        ASSERT_GE(us, 3000);
        ASSERT_LE(us, 5000);
    }
    EXPECT_LT(low, 3200);  // the band is actually used, not just its middle
    EXPECT_GT(high, 4800);
    EXPECT_EQ(Latency::none().sample(random).count(), 0);
    EXPECT_EQ((Latency{1, 5}).sample(random).count() >= 0, true);  // never negative
}

}  // namespace
}  // namespace lambdalab::dynamodb
