#include <gtest/gtest.h>

#include "lab/stats.hpp"

namespace lambdalab::lab {
namespace {

TEST(LabStats, PercentilesInterpolateBetweenClosestRanks) {
    const std::vector<double> sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_DOUBLE_EQ(percentile_sorted(sorted, 0.0), 1);
    EXPECT_DOUBLE_EQ(percentile_sorted(sorted, 1.0), 10);
    EXPECT_DOUBLE_EQ(percentile_sorted(sorted, 0.5), 5.5);
    EXPECT_DOUBLE_EQ(percentile_sorted(sorted, 0.9), 9.1);
    EXPECT_DOUBLE_EQ(percentile_sorted({42}, 0.99), 42);
    EXPECT_DOUBLE_EQ(percentile_sorted({}, 0.5), 0);
}

TEST(LabStats, SummarySortsAndDescribes) {
    const Summary s = summarize({5, 1, 4, 2, 3});
    EXPECT_EQ(s.count, 5u);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 5);
    EXPECT_DOUBLE_EQ(s.p50, 3);
    EXPECT_DOUBLE_EQ(s.p99, 4.96);
    EXPECT_EQ(to_json(summarize({})), nlohmann::json({{"count", 0}}));
    EXPECT_DOUBLE_EQ(to_json(s)["p90"].get<double>(), 4.6);
}

// Power Tuning's computeAverageDuration on known numbers.
TEST(LabStats, TrimmedMeanDropsTheSameShareFromBothEnds) {
    // 10 values, 0.2: two lowest (1, 2) and two highest (100, 1000) go; the mean of 3..6 and 7, 8.
    const std::vector<double> values = {1000, 3, 4, 5, 1, 6, 2, 7, 8, 100};
    EXPECT_DOUBLE_EQ(trimmed_mean(values, 0.2), (3 + 4 + 5 + 6 + 7 + 8) / 6.0);
    // No trimming: the plain mean.
    EXPECT_DOUBLE_EQ(trimmed_mean(values, 0), (1000 + 3 + 4 + 5 + 1 + 6 + 2 + 7 + 8 + 100) / 10.0);
    // parseInt(n * d) truncates: 4 values at 0.2 drop nothing; 5 values at 0.2 drop one each side.
    EXPECT_DOUBLE_EQ(trimmed_mean({1, 2, 3, 100}, 0.2), 26.5);
    EXPECT_DOUBLE_EQ(trimmed_mean({1, 2, 3, 4, 100}, 0.2), 3);
    // 0.4 of 5 drops two each side: the median is left.
    EXPECT_DOUBLE_EQ(trimmed_mean({9, 1, 5, 7, 3}, 0.4), 5);
    EXPECT_DOUBLE_EQ(trimmed_mean({}, 0.2), 0);
    // 50 values at 0.2: 50 * 0.2 is 10 exactly in binary too.
    std::vector<double> fifty;
    for (int i = 1; i <= 50; ++i) fifty.push_back(i);
    EXPECT_DOUBLE_EQ(trimmed_mean(fifty, 0.2), 25.5);
}

}  // namespace
}  // namespace lambdalab::lab
