#include <gtest/gtest.h>

#include "lab/suite.hpp"

namespace lambdalab::lab {
namespace {

using nlohmann::json;

Suite parse(const json& document) {
    return parse_suite(document, "/suites");
}

// The path of the error a document gives, and its message.
std::string error_of(const json& document) {
    try {
        parse(document);
    } catch (const SuiteError& e) {
        return e.what();
    }
    return "no error";
}

json minimal() {
    return {{"name", "s"}, {"function", "f"}, {"load", {{"num", 5}}}};
}

TEST(LabSuite, AMinimalSuiteIsOneVariant) {
    const Suite suite = parse(minimal());
    ASSERT_EQ(suite.variants.size(), 1u);
    EXPECT_EQ(suite.variants[0].name, "s");
    EXPECT_EQ(suite.variants[0].function, "f");
    EXPECT_EQ(suite.variants[0].load.num, 5);
    EXPECT_EQ(suite.variants[0].load.concurrency, 1);
    EXPECT_EQ(suite.variants[0].payload_text(), "{}");
    EXPECT_EQ(suite.repetitions, 1);
    EXPECT_EQ(suite.emulator.profile, "aws-2026");
    EXPECT_EQ(suite.planned_invocations(), 5);
}

TEST(LabSuite, VariantsOverrideTheDefaultsAtTheTop) {
    json doc = minimal();
    doc["payload"] = {{"n", 1}};
    doc["memory"] = 512;
    doc["variants"] = json::array({{{"name", "a"}},
                                   {{"memory", 1024}, {"function", "g"}, {"payload", "{\"n\": 2}"}},
                                   {{"name", "c"},
                                    {"architecture", "arm64"},
                                    {"environment", {{"MODE", "x"}}},
                                    {"vpc", true},
                                    {"reservedConcurrency", 10},
                                    {"start", "warm"},
                                    {"load", {{"num", 20}, {"concurrency", 4}}}}});
    const Suite suite = parse(doc);
    ASSERT_EQ(suite.variants.size(), 3u);
    EXPECT_EQ(suite.variants[0].memory, 512);
    EXPECT_EQ(suite.variants[0].payload_text(), R"({"n":1})");
    EXPECT_EQ(suite.variants[1].name, "g-payload2-1024");  // a name from the values it sets
    EXPECT_EQ(suite.variants[1].memory, 1024);
    EXPECT_EQ(suite.variants[1].payload_text(), "{\"n\": 2}");  // a JSON string is sent as it is
    const Variant& c = suite.variants[2];
    EXPECT_EQ(c.architecture, "arm64");
    EXPECT_EQ(c.environment->at("MODE"), "x");
    EXPECT_EQ(c.vpc, true);
    EXPECT_EQ(c.reserved_concurrency, 10);
    ASSERT_TRUE(c.warmup);  // warm start: one warm-up invocation per concurrent slot
    EXPECT_EQ(c.warmup->num, 4);
    EXPECT_EQ(c.warmup->concurrency, 4);
    EXPECT_EQ(suite.planned_invocations(), 5 + 5 + 20);
    EXPECT_EQ(c.config()["load"]["concurrency"], 4);
}

TEST(LabSuite, AMatrixExpandsEveryCombination) {
    json doc = minimal();
    doc["matrix"] = {{"memory", {128, 256, 1769}}, {"architecture", {"x86_64", "arm64"}}};
    doc["repetitions"] = 3;
    const Suite suite = parse(doc);
    ASSERT_EQ(suite.variants.size(), 6u);
    EXPECT_EQ(suite.variants[0].name, "x86_64-128");  // matrix keys combine in alphabetical order
    EXPECT_EQ(suite.variants[5].name, "arm64-1769");
    EXPECT_EQ(suite.planned_invocations(), 6 * 5 * 3);

    doc["variants"] = json::array({{{"name", "py"}, {"function", "p"}}, {{"name", "js"}, {"function", "j"}}});
    doc["matrix"] = {{"memory", {128, 256}}};
    const Suite crossed = parse(doc);
    ASSERT_EQ(crossed.variants.size(), 4u);
    EXPECT_EQ(crossed.variants[1].name, "py-256");
    EXPECT_EQ(crossed.variants[2].function, "j");
}

TEST(LabSuite, OpenLoopPhases) {
    json doc = minimal();
    doc["load"] = {
        {"phases", {{{"duration", 10}, {"arrivalRate", 5}}, {{"pause", 2}}, {{"duration", 4}, {"arrivalCount", 8}}}},
        {"arrivals", "poisson"},
        {"maxInFlight", 16}};
    const Suite suite = parse(doc);
    const Load& load = suite.variants[0].load;
    EXPECT_EQ(load.kind, Load::Kind::open);
    EXPECT_EQ(load.phases.size(), 3u);
    EXPECT_TRUE(load.phases[1].pause);
    EXPECT_EQ(load.arrivals, ArrivalProcess::poisson);
    EXPECT_EQ(load.max_in_flight, 16);
    EXPECT_GT(load.planned(), 30);
    EXPECT_LT(load.planned(), 90);
}

TEST(LabSuite, BadFieldsAreNamedByTheirPath) {
    json doc = minimal();
    doc["variants"] = json::array({{{"memory", 128}}, {{"memory", 256}}, {{"memory", 64}}});
    EXPECT_EQ(error_of(doc), "suite.variants[2].memory: must be an integer between 128 and 10240");
    doc["variants"][2]["memory"] = 300.5;
    EXPECT_EQ(error_of(doc), "suite.variants[2].memory: must be an integer between 128 and 10240");
    doc["variants"][2] = {{"memroy", 300}};
    EXPECT_TRUE(
        error_of(doc).starts_with("suite.variants[2].memroy: unknown field (expected one of: function, payload"));

    EXPECT_EQ(error_of({{"function", "f"}, {"load", {{"num", 5}}}}), "suite.name: required");
    EXPECT_EQ(error_of({{"name", "s"}, {"load", {{"num", 5}}}}),
              "suite.function: required (in the variant or at the top of the suite)");
    json bad = minimal();
    bad["load"] = {{"num", 0}};
    EXPECT_EQ(error_of(bad), "suite.load.num: must be an integer between 1 and 10000000");
    bad["load"] = {{"num", 5}, {"phases", json::array()}};
    EXPECT_EQ(error_of(bad), "suite.load: give either num (a closed loop) or phases (an open loop like Artillery's)");
    bad["load"] = {{"phases", {{{"duration", 10}}}}};
    EXPECT_EQ(error_of(bad), "suite.load.phases[0].arrivalRate: required (arrivals per second), or arrivalCount");
    bad["load"] = {{"phases", {{{"duration", 10}, {"arrivalRate", 1}}}}, {"concurrency", 2}};
    EXPECT_EQ(error_of(bad), "suite.load.concurrency: only for a closed loop (num); an open loop has maxInFlight");
    bad = minimal();
    bad["matrix"] = {{"memory", {128, 99999}}};
    EXPECT_EQ(error_of(bad), "suite.matrix.memory[1]: must be an integer between 128 and 10240");
    bad = minimal();
    bad["architecture"] = "sparc";
    EXPECT_EQ(error_of(bad), "suite.architecture: must be one of: x86_64, arm64");
    bad = minimal();
    bad["profile"] = "aws-1999";
    EXPECT_EQ(error_of(bad), "suite.profile: must be one of: aws-2026, aws-2018-vpc, none");
    bad = minimal();
    bad["environment"] = {{"X", "1"}};
    EXPECT_TRUE(error_of(bad).starts_with("suite.environment.X: not a valid environment variable name"));
    bad = minimal();
    bad["variants"] = json::array({{{"name", "a"}}, {{"name", "a"}}});
    EXPECT_EQ(error_of(bad), "suite.variants[1].name: duplicate variant name 'a'");
    bad["variants"] = json::array({{{"name", "a b"}}});
    EXPECT_TRUE(error_of(bad).starts_with("suite.variants[0].name: 'a b' is not a valid variant name"));
}

TEST(LabSuite, ContradictionsAreRefused) {
    json doc = minimal();
    doc["start"] = "cold";
    doc["load"] = {{"phases", {{{"duration", 1}, {"arrivalRate", 1}}}}};
    EXPECT_TRUE(error_of(doc).starts_with("suite.start: cold starts can be forced only with a closed loop"));
    doc = minimal();
    doc["start"] = "cold";
    doc["provisionedConcurrency"] = 2;
    EXPECT_TRUE(error_of(doc).starts_with("suite.start: provisioned concurrency keeps sandboxes initialized"));
}

TEST(LabSuite, PowerTuningNeedsMemoryAndFiveInvocations) {
    json doc = minimal();
    doc["matrix"] = {{"memory", {128, 1769}}};
    doc["analysis"] = {{"powerTuning", {{"strategy", "balanced"}, {"balancedWeight", 0.3}}}};
    doc["headline"] = "{ratio:128:1769:pt_duration}x; cheapest {cheapest:f}";
    const Suite suite = parse(doc);
    ASSERT_TRUE(suite.power_tuning);
    EXPECT_EQ(suite.power_tuning->strategy, Strategy::balanced);
    EXPECT_DOUBLE_EQ(suite.power_tuning->balanced_weight, 0.3);
    EXPECT_TRUE(suite.variants[0].load.tail);  // statistics come from REPORT lines

    doc["load"] = {{"num", 4}};
    EXPECT_EQ(error_of(doc),
              "suite.analysis.powerTuning (variant '128'): power tuning needs num >= 5 (as its Initializer requires)");
    doc = minimal();
    doc["analysis"] = {{"powerTuning", json::object()}};
    EXPECT_EQ(error_of(doc),
              "suite.analysis.powerTuning (variant 's'): every variant of a power tuning needs a memory size");
}

TEST(LabSuite, HeadlinesReferToRealVariantsAndMetrics) {
    json doc = minimal();
    doc["variants"] = json::array({{{"name", "a"}}, {{"name", "b"}}});
    doc["headline"] = "{a:p50} vs {b:p50}, {ratio:a:b:init_mean}x, {a:resp.nodes} nodes";
    EXPECT_NO_THROW(parse(doc));
    doc["headline"] = "{c:p50}";
    EXPECT_EQ(error_of(doc), "suite.headline: {c:p50}: unknown variant 'c'");
    doc["headline"] = "{a:p42}";
    EXPECT_EQ(error_of(doc), "suite.headline: {a:p42}: unknown metric 'p42'");
    doc["headline"] = "{cheapest:f}";
    EXPECT_EQ(error_of(doc), "suite.headline: {cheapest:f}: 'f' is not a tuned function");
}

TEST(LabSuite, PathsAreTheSuiteFilesAndSettingsAreCollected) {
    json doc = minimal();
    doc["functionsFile"] = "../../workloads/functions.json";
    doc["functions"] = json::array({{{"FunctionName", "f"}, {"CodeDirectory", "code/f"}},
                                    {{"FunctionName", "g"}, {"CodeDirectory", "${LAMBDALAB_BUILD_DIR}/functions/g"}}});
    doc["emulator"] = {{"profile", "none"}, {"timeScale", 10}, {"settings", {{"lifecycle.idle_lifetime_s", 2}}}};
    const Suite suite = parse_suite(doc, "/repo/bench/suites");
    EXPECT_EQ(suite.functions_file, "/repo/workloads/functions.json");
    EXPECT_EQ(suite.functions[0]["CodeDirectory"], "/repo/bench/suites/code/f");
    EXPECT_EQ(suite.functions[1]["CodeDirectory"], "${LAMBDALAB_BUILD_DIR}/functions/g");
    EXPECT_EQ(suite.emulator.profile, "none");
    EXPECT_DOUBLE_EQ(suite.emulator.time_scale, 10);
    EXPECT_EQ(suite.emulator.settings, std::vector<std::string>{"lifecycle.idle_lifetime_s=2"});
}

}  // namespace
}  // namespace lambdalab::lab
