#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "lab/arrivals.hpp"

namespace lambdalab::lab {
namespace {

Phase rate(double duration, double arrival_rate, std::optional<double> ramp_to = std::nullopt) {
    Phase p;
    p.duration_s = duration;
    p.arrival_rate = arrival_rate;
    p.ramp_to = ramp_to;
    return p;
}

TEST(LabArrivals, UniformArrivalsAreEvenlySpaced) {
    const auto times = arrival_schedule({rate(2, 5)}, ArrivalProcess::uniform, 1);
    ASSERT_EQ(times.size(), 10u);
    for (std::size_t i = 0; i < times.size(); ++i) EXPECT_NEAR(times[i], 200.0 * static_cast<double>(i), 1e-9);
}

TEST(LabArrivals, ARampGrowsTheRateLinearly) {
    // 0 -> 20/s over 10 s: 100 arrivals, the k-th at sqrt(2k / 2) s, so half of them in the last 3 s.
    const auto times = arrival_schedule({rate(10, 0, 20)}, ArrivalProcess::uniform, 1);
    ASSERT_EQ(times.size(), 100u);
    EXPECT_NEAR(times[50], std::sqrt(50.0) * 1000, 1e-6);
    EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
    EXPECT_LE(times.back(), 10000);
    // And down: 20 -> 0 is the mirror image, front-loaded.
    const auto down = arrival_schedule({rate(10, 20, 0)}, ArrivalProcess::uniform, 1);
    ASSERT_EQ(down.size(), 100u);
    EXPECT_LT(down[50], 3000);
    EXPECT_DOUBLE_EQ(expected_arrivals(rate(10, 20, 0)), 100);
}

TEST(LabArrivals, PhasesFollowEachOtherAndPausesSendNothing) {
    Phase pause;
    pause.pause = true;
    pause.duration_s = 5;
    Phase count;
    count.duration_s = 1;
    count.arrival_count = 4;
    const auto times = arrival_schedule({rate(1, 2), pause, count}, ArrivalProcess::uniform, 1);
    EXPECT_EQ(times, (std::vector<double>{0, 500, 6000, 6250, 6500, 6750}));
}

TEST(LabArrivals, PoissonArrivalsHaveTheRateOnAverageAndAreReproducible) {
    const auto a = arrival_schedule({rate(100, 10)}, ArrivalProcess::poisson, 7);
    const auto b = arrival_schedule({rate(100, 10)}, ArrivalProcess::poisson, 7);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, arrival_schedule({rate(100, 10)}, ArrivalProcess::poisson, 8));
    // 1,000 expected: within 4 standard deviations (sqrt(1000) ~ 32).
    EXPECT_NEAR(static_cast<double>(a.size()), 1000, 130);
    // Exponential gaps: their mean is 100 ms and about 37% exceed it (e^-1).
    std::vector<double> gaps;
    for (std::size_t i = 1; i < a.size(); ++i) gaps.push_back(a[i] - a[i - 1]);
    const double mean = std::accumulate(gaps.begin(), gaps.end(), 0.0) / static_cast<double>(gaps.size());
    EXPECT_NEAR(mean, 100, 12);
    const double above =
        static_cast<double>(std::count_if(gaps.begin(), gaps.end(), [&](double g) { return g > mean; }));
    EXPECT_NEAR(above / static_cast<double>(gaps.size()), 0.368, 0.06);
    // Averaged over seeds, a ramp's count is its integral.
    double total = 0;
    for (std::uint64_t seed = 1; seed <= 400; ++seed)
        total += static_cast<double>(arrival_schedule({rate(1, 20, 40)}, ArrivalProcess::poisson, seed).size());
    EXPECT_NEAR(total / 400, 30, 1.5);
}

}  // namespace
}  // namespace lambdalab::lab
