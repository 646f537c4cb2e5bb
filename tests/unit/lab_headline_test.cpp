#include <gtest/gtest.h>

#include <algorithm>

#include "lab/headline.hpp"
#include "lab/json_path.hpp"
#include "lab/progress.hpp"
#include "lab/report.hpp"

namespace lambdalab::lab {
namespace {

using nlohmann::json;

TEST(LabJsonPath, MissingLevelsAndWrongTypesGiveNothing) {
    const json run = {{"result", {{"rate", 2.5}, {"label", "x"}, {"list", {1, 2}}}}};
    EXPECT_EQ(number_at(run, {"result", "rate"}), 2.5);
    EXPECT_EQ(number_at(run, {"result", "label"}), std::nullopt);           // not a number
    EXPECT_EQ(number_at(run, {"result", "rate", "deeper"}), std::nullopt);  // a number has no fields
    EXPECT_EQ(number_at(run, {"result", "list", "0"}), std::nullopt);       // arrays are not walked by key
    EXPECT_EQ(number_at(run, {"missing", "rate"}), std::nullopt);
    EXPECT_EQ(number_at(json(nullptr), {"result"}), std::nullopt);
    EXPECT_EQ(value_at(run, {"result", "label"}), "x");
    EXPECT_TRUE(value_at(run, {"result", "nope"}).is_null());
    EXPECT_EQ(find_at(run, {}), &run);
}

json variant(const std::string& name, double p50, double init, int cold, int memory) {
    return {{"name", name},
            {"status", "complete"},
            {"config", {{"function", "primes-cpp"}, {"memory", memory}}},
            {"result", {{"averageDuration", p50 * 1.1}, {"averagePrice", 1e-7 * memory / 128}}},
            {"stats",
             {{"invocations", 10},
              {"errors", 1},
              {"throttles", 2},
              {"coldStarts", cold},
              {"duration",
               {{"count", 8}, {"p50", p50}, {"p90", p50 * 2}, {"p99", p50 * 3}, {"max", p50 * 4}, {"mean", p50}}},
              {"warmDuration", {{"count", 8 - cold}, {"p50", p50}}},
              {"coldDuration", {{"count", cold}, {"p50", p50 * 2}}},
              {"initDuration", {{"count", cold}, {"mean", init}, {"p50", init}}},
              {"clientLatency", {{"count", 8}, {"p50", p50 + 1}}},
              {"cost", {{"total", 1e-6}, {"perInvocation", 1.25e-7}, {"perMillion", 0.125}}},
              {"responses", {{"count", 2}, {"fields", {{"nodes", 10}, {"throttled", 3.5}}}}}}}};
}

json run() {
    return {{"id", 7},
            {"name", "primes"},
            {"kind", "suite"},
            {"status", "complete"},
            {"startedAtMs", 1700000000000},
            {"endedAtMs", 1700000065000},
            {"headline", "a headline"},
            {"variants",
             {variant("128", 1310, 12.5, 1, 128),
              variant("1769", 100, 10, 1, 1769),
              {{"name", "vpc"}, {"status", "skipped"}, {"message", "no VPC model"}, {"config", json::object()}}}},
            {"result",
             {{"powerTuning",
               {{"primes-cpp",
                 {{"power", 1769},
                  {"cost", 1e-7},
                  {"duration", 110},
                  {"stateMachine",
                   {{"executionCost", 0.0003},
                    {"lambdaCost", 1e-6},
                    {"visualization", "https://lambda-power-tuning.show/#x"}}},
                  {"stats",
                   {{{"value", 128}, {"averagePrice", 3e-7}, {"averageDuration", 1441}},
                    {{"value", 1769}, {"averagePrice", 2e-7}, {"averageDuration", 110}}}}}}}}}}};
}

TEST(LabHeadline, RendersFiguresFromTheRun) {
    EXPECT_EQ(render_headline(
                  "primes-cpp: 128 MB is {ratio:128:1769:p50}x slower than 1769 MB; cheapest {cheapest:primes-cpp} MB",
                  run()),
              "primes-cpp: 128 MB is 13.1x slower than 1769 MB; cheapest 1769 MB");
    EXPECT_EQ(render_headline(
                  "{128:p50} {1769:init_mean} {128:cold} {128:throttles} {1769:cost} {1769:cost_per_million}", run()),
              "1310 ms 10.0 ms 1 2 $1.25e-07 $0.12");
    EXPECT_EQ(
        render_headline("{diff:128:1769:init_mean} {fastest:primes-cpp} {power:primes-cpp} {128:cold_pct}", run()),
        "2.50 ms 1769 1769 13%");
    EXPECT_EQ(
        render_headline("{128:resp.nodes} nodes, {128:resp.throttled} throttled; {vpc:p50}; {128:pt_duration}", run()),
        "10 nodes, 3.5 throttled; n/a; 1441 ms");
    EXPECT_EQ(render_headline("no placeholders", run()), "no placeholders");
}

TEST(LabHeadline, ChecksPlaceholders) {
    EXPECT_NO_THROW(check_headline("{a:p50} {ratio:a:b:warm_p50} {cheapest:f}", {"a", "b"}, {"f"}));
    EXPECT_THROW(check_headline("{a:p50", {"a"}, {}), std::invalid_argument);
    EXPECT_THROW(check_headline("{a:b:c}", {"a"}, {}), std::invalid_argument);
    EXPECT_THROW(check_headline("{ratio:a:z:p50}", {"a"}, {}), std::invalid_argument);
}

TEST(LabReport, TextHasAColumnPerFigureAndSaysWhatWasNotMeasured) {
    const std::string text = report_text(run());
    EXPECT_NE(text.find("run 7: primes (suite, complete)"), std::string::npos);
    EXPECT_NE(
        text.find(
            "variant  function      MB  count  errors  throttles  cold  p50 ms  p90 ms  p99 ms  max ms  init ms  "
            "$/invocation  $/million\n"
            "128      primes-cpp   128     10       1          2     1    1310    2620    3930    5240     12.5      "
            "1.25e-07       0.12\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("vpc (skipped): no VPC model"), std::string::npos);
    EXPECT_NE(text.find("Power Tuning of primes-cpp: power 1769 MB"), std::string::npos);
    EXPECT_NE(text.find("visualization: https://lambda-power-tuning.show/#x"), std::string::npos);
}

TEST(LabReport, CsvHasOneRowPerVariant) {
    const std::string csv = report_csv(run());
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
    EXPECT_TRUE(csv.starts_with("run_id,variant,status,function,memory_mb,invocations,"));
    EXPECT_NE(csv.find("\n7,128,complete,primes-cpp,128,10,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",1441,1e-07,\n"), std::string::npos) << csv;
}

TEST(LabReport, ComparisonMatchesVariantsByName) {
    json b = run();
    b["id"] = 8;
    b["variants"][0]["stats"]["duration"]["p50"] = 655;
    const std::string text = compare_text(run(), b);
    EXPECT_NE(text.find("run 7 (primes) against run 8 (primes)"), std::string::npos);
    EXPECT_NE(text.find("-50.0%"), std::string::npos) << text;
}

TEST(LabProgress, TheLineShowsDoneTotalThrottlesErrorsAndEta) {
    ProgressState state;
    state.label = "2/6 512";
    state.done = 100;
    state.total = 300;
    state.throttles = 3;
    state.errors = 1;
    state.in_flight = 4;
    state.elapsed_s = 10;
    EXPECT_EQ(format_progress(state), "[2/6 512] 100/300 | 3 throttled | 1 error | 4 in flight | 10.0/s | ETA 0:20");
    state.done = 0;
    EXPECT_EQ(format_progress(state), "[2/6 512] 0/300 | 3 throttled | 1 error | 4 in flight | 0.0/s | ETA ?");
    EXPECT_EQ(format_duration(3725), "1:02:05");
    EXPECT_EQ(format_duration(65), "1:05");
}

}  // namespace
}  // namespace lambdalab::lab
