#include <gtest/gtest.h>

#include <cmath>

#include "lab/power_tuning.hpp"

namespace lambdalab::lab {
namespace {

const char* kColdLog =
    "INIT_START Runtime Version: python:3.12.v1\tRuntime Version ARN: x\n"
    "START RequestId: 6d7e Version: $LATEST\n"
    "hello\n"
    "END RequestId: 6d7e\n"
    "REPORT RequestId: 6d7e\tDuration: 102.25 ms\tBilled Duration: 226 ms\tMemory Size: 128 MB\t"
    "Max Memory Used: 40 MB\tInit Duration: 123.45 ms\t\n";

TEST(LabPowerTuning, ReadsTheReportLineLikeTheExecutor) {
    const ReportFigures cold = parse_report(kColdLog);
    EXPECT_TRUE(cold.found);
    EXPECT_DOUBLE_EQ(cold.duration_ms, 102.25);
    EXPECT_DOUBLE_EQ(cold.billed_duration_ms, 226);
    EXPECT_DOUBLE_EQ(cold.init_duration_ms, 123.45);
    EXPECT_DOUBLE_EQ(cold.tuning_duration(), 225.7);
    EXPECT_DOUBLE_EQ(cold.tuning_billed(), 226);

    const ReportFigures warm = parse_report(
        "REPORT RequestId: a\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 "
        "MB\t\n");
    EXPECT_DOUBLE_EQ(warm.duration_ms, 3);
    EXPECT_DOUBLE_EQ(warm.init_duration_ms, 0);  // missing counts as 0
    // The regexes need the tab and, for Duration, a decimal point.
    EXPECT_DOUBLE_EQ(parse_report("REPORT RequestId: a Duration: 3.00 ms").duration_ms, 0);
    EXPECT_DOUBLE_EQ(parse_report("REPORT RequestId: a\tDuration: 3 ms\tBilled Duration: 3 ms").duration_ms, 0);
    EXPECT_FALSE(parse_report("no report here").found);
    // SnapStart restores count like Init.
    const ReportFigures restored = parse_report(
        "REPORT RequestId: a\tDuration: 10.50 ms\tBilled Duration: 11 ms\tRestore Duration: 300.25 ms\tBilled Restore "
        "Duration: 150 ms\t");
    EXPECT_DOUBLE_EQ(restored.tuning_duration(), 310.75);
    EXPECT_DOUBLE_EQ(restored.tuning_billed(), 161);
}

TEST(LabPowerTuning, ReadsJsonPlatformReports) {
    const ReportFigures f = parse_report(
        "{\"time\":\"x\",\"type\":\"platform.start\",\"record\":{}}\n"
        "{\"time\":\"x\",\"type\":\"platform.report\",\"record\":{\"metrics\":{\"durationMs\":12.5,"
        "\"billedDurationMs\":13,"
        "\"initDurationMs\":80.25}}}\n");
    EXPECT_TRUE(f.found);
    EXPECT_DOUBLE_EQ(f.tuning_duration(), 92.75);
    EXPECT_DOUBLE_EQ(f.tuning_billed(), 13);
}

TEST(LabPowerTuning, PricesPerArchitectureAndRegion) {
    EXPECT_DOUBLE_EQ(base_cost("us-east-1", "x86_64"), 2.1e-9);
    EXPECT_DOUBLE_EQ(base_cost("eu-south-1", "x86_64"), 2.4e-9);
    EXPECT_DOUBLE_EQ(base_cost("us-east-1", "arm64"), 1.7e-9);
    EXPECT_DOUBLE_EQ(base_cost("ap-east-1", "arm64"), 1.7e-9);
    EXPECT_THROW(base_cost("us-east-1", "mips"), std::invalid_argument);
    // ceil(billed) x baseCost x value / 128
    EXPECT_DOUBLE_EQ(compute_price(2.1e-9, 128, 1024, 100.2), 101 * 2.1e-9 * 8);
    EXPECT_DOUBLE_EQ(step_functions_transition_cost("sa-east-1"), 0.0000375);
}

TEST(LabPowerTuning, ExecutorStatisticsTrimBothDurationsAndBilled) {
    std::vector<ReportFigures> runs;
    for (double d : {10.0, 11.0, 12.0, 13.0, 14.0}) {
        ReportFigures f;
        f.found = true;
        f.duration_ms = d;
        f.billed_duration_ms = d;
        runs.push_back(f);
    }
    runs[0].init_duration_ms = 1000;  // the cold start is the slowest (1010 ms): trimmed away
    const ExecutorStats s = executor_stats(256, runs, 2.1e-9, 0.2);
    EXPECT_EQ(s.value, 256);
    // durations 1010, 11, 12, 13, 14: one dropped at each end
    EXPECT_DOUBLE_EQ(s.average_duration, (12 + 13 + 14) / 3.0);
    // billed 10..14: trimmed mean 12, price ceil(12) x base x 256/128
    EXPECT_DOUBLE_EQ(s.average_price, 12 * 2.1e-9 * 2);
    // total cost is over every invocation, untrimmed
    EXPECT_DOUBLE_EQ(s.total_cost, (10 + 11 + 12 + 13 + 14) * 2.1e-9 * 2);
}

std::vector<ExecutorStats> known_stats() {
    // value, averagePrice, averageDuration, totalCost
    return {{128, 3.0e-7, 1000, 0},
            {256, 2.0e-7, 400, 0},
            {512, 2.0e-7, 300, 0},
            {1024, 4.0e-7, 150, 0},
            {2048, 8.0e-7, 150, 0}};
}

TEST(LabPowerTuning, StrategiesPickLikeTheAnalyzer) {
    // cost: 256 and 512 cost the same; the faster (512) wins.
    EXPECT_EQ(choose(known_stats(), Strategy::cost, 0.5)->value, 512);
    // speed: 1024 and 2048 are as fast; the cheaper (1024) wins.
    EXPECT_EQ(choose(known_stats(), Strategy::speed, 0.5)->value, 1024);
    // balanced, w = 0.5: minimize 0.5 cost/maxCost + 0.5 duration/maxDuration
    //   128: .1875+.5=.6875  256: .125+.2=.325  512: .125+.15=.275  1024: .25+.075=.325  2048: .5+.075=.575
    EXPECT_EQ(choose(known_stats(), Strategy::balanced, 0.5)->value, 512);
    // w = 0 is speed (ties keep the input order: 1024 first), w = 1 is cost (256 and 512 tie: 256 first).
    EXPECT_EQ(choose(known_stats(), Strategy::balanced, 0.0)->value, 1024);
    EXPECT_EQ(choose(known_stats(), Strategy::balanced, 1.0)->value, 256);
    // Results without a duration are left out; none at all gives nothing.
    auto stats = known_stats();
    stats[2].average_duration = 0;
    EXPECT_EQ(choose(stats, Strategy::cost, 0.5)->value, 256);
    EXPECT_FALSE(choose({{128, 1, 0, 0}}, Strategy::cost, 0.5));
    EXPECT_EQ(parse_strategy("balanced"), Strategy::balanced);
    EXPECT_FALSE(parse_strategy("cheap"));
}

TEST(LabPowerTuning, DefaultsAndClamps) {
    EXPECT_DOUBLE_EQ(discard_top_bottom(std::nullopt, false), 0.2);
    EXPECT_DOUBLE_EQ(discard_top_bottom(std::nullopt, true), 0.0);
    EXPECT_DOUBLE_EQ(discard_top_bottom(0.9, false), 0.4);
    EXPECT_DOUBLE_EQ(discard_top_bottom(-1, false), 0.0);
    EXPECT_DOUBLE_EQ(balanced_weight(std::nullopt), 0.5);
    EXPECT_DOUBLE_EQ(balanced_weight(3), 1.0);
}

TEST(LabPowerTuning, StepFunctionsCost) {
    // 6 + 3N transitions, or 6 + N + 2 N num with only cold starts; rounded to 5 decimals.
    EXPECT_DOUBLE_EQ(step_functions_cost(6, false, 50, 0.000025), 0.0006);
    EXPECT_DOUBLE_EQ(step_functions_cost(6, true, 10, 0.000025), 0.0033);  // 6 + 6 + 120
    EXPECT_DOUBLE_EQ(step_functions_cost(5, false, 10, 0.0000279), 0.00059);
}

TEST(LabPowerTuning, VisualizationUrlEncodesTypedArrays) {
    // The README example's sizes and times; bytes as Python's struct '<h' and '<f' give them.
    const std::vector<int> sizes = {128, 256, 512, 1024, 1536, 3008};
    const std::vector<double> times = {37002.4, 18647.8, 8489.4, 3890.9, 2512.2, 2009.8};
    const std::vector<double> costs = {7.7168e-5, 7.7576e-5, 7.0624e-5, 6.4688e-5, 6.2608e-5, 1.02648e-4};
    std::vector<ExecutorStats> stats;
    for (std::size_t i = sizes.size(); i-- > 0;)
        stats.push_back({sizes[i], costs[i], times[i], 0});  // unsorted on purpose
    EXPECT_EQ(visualization_url(stats, "us-east-1"),
              "https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;ZooQR5qvkUaapQRGZi5zRTMDHUWaOftE;"
              "QdWhOEywojj5G5Q4G6mHOGpMgzi6RNc4");
    EXPECT_TRUE(visualization_url(stats, "cn-north-1").starts_with("https://lambda-power-tuning.show/?currency=CNY#"));
}

TEST(LabPowerTuning, OutputHasTheStateMachineShape) {
    TuningInput input;
    input.stats = known_stats();
    input.stats[0].total_cost = 1e-6;
    input.stats[1].total_cost = 2e-6;
    input.num = 10;
    const auto out = tuning_output(input);
    std::vector<std::string> keys;
    for (const auto& [key, value] : out.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"power", "cost", "duration", "stateMachine", "stats"}));
    EXPECT_EQ(out["power"], 512);
    EXPECT_DOUBLE_EQ(out["cost"].get<double>(), 2.0e-7);
    EXPECT_DOUBLE_EQ(out["duration"].get<double>(), 300);
    EXPECT_DOUBLE_EQ(out["stateMachine"]["lambdaCost"].get<double>(), 3e-6);
    EXPECT_DOUBLE_EQ(out["stateMachine"]["executionCost"].get<double>(), 0.00053);  // 6 + 3 x 5 = 21 transitions
    EXPECT_EQ(out["stats"].size(), 5u);
    EXPECT_EQ(out["stats"][0].dump(), R"({"value":128,"averagePrice":3e-07,"averageDuration":1000.0})");
    // Read back from a store (sorted keys), the order is restored.
    const auto again = ordered_output(nlohmann::json::parse(out.dump()));
    EXPECT_EQ(again.dump(), out.dump());
    EXPECT_THROW(tuning_output(TuningInput{}), std::invalid_argument);
}

}  // namespace
}  // namespace lambdalab::lab
