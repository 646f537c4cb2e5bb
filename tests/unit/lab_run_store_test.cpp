#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "lab/lab_schema.hpp"
#include "lab/run_store.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace lambdalab::lab {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class RunStoreTest : public ::testing::Test {
  protected:
    RunStoreTest()
        : dir(fs::temp_directory_path() / ("lambdalab-lab-test-" + std::to_string(::getpid()) + "-" +
                                           ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
        fs::remove_all(dir);
        store = std::make_unique<store::Store>(dir / "lambdalab.db");  // the core schema, as the emulator makes it
        db = std::make_unique<store::Connection>((dir / "lambdalab.db").string());
        migrate_lab(*db);
        runs = std::make_unique<RunStore>(*db);
    }
    ~RunStoreTest() override {
        runs.reset();
        db.reset();
        store.reset();
        fs::remove_all(dir);
    }

    void invocation(const std::string& run, const std::string& variant, const std::string& status, bool cold,
                    double duration, std::optional<double> init = std::nullopt) {
        store::InvocationRecord r;
        r.request_id = "req-" + std::to_string(++counter);
        r.function = "f";
        r.status = status;
        r.cold = cold;
        r.duration_ms = duration;
        r.init_duration_ms = init;
        r.billed_duration_ms = static_cast<std::int64_t>(std::ceil(duration + init.value_or(0)));
        r.memory_size_mb = 256;
        r.cost_usd = status == "throttled" ? 0 : 1e-6;
        r.profile = "none";
        r.run_id = run;
        r.variant = variant;
        store->record_invocation(std::move(r));
    }

    fs::path dir;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<store::Connection> db;
    std::unique_ptr<RunStore> runs;
    int counter = 0;
};

TEST_F(RunStoreTest, TheLabSchemaIsVersionedApartFromTheCore) {
    EXPECT_TRUE(has_lab_tables(*db));
    const int core_version = db->user_version();
    migrate_lab(*db);  // idempotent
    EXPECT_EQ(db->user_version(), core_version);
    auto stmt = db->prepare("SELECT value FROM lab_meta WHERE key = 'schema_version'");
    ASSERT_TRUE(stmt.step());
    EXPECT_EQ(stmt.column_text(0), "1");
}

TEST_F(RunStoreTest, StatisticsComeFromTheTaggedInvocations) {
    const std::int64_t id =
        runs->create_run({"suite-a", "suite", {{"name", "suite-a"}}, "http://x", {{"hostCores", 2}}});
    EXPECT_GT(id, 0);
    runs->add_variant(id, "fast", 0, {{"memory", 1769}});
    runs->add_variant(id, "slow", 1, {{"memory", 128}});
    const std::string key = std::to_string(id);
    invocation(key, "fast", "success", true, 5, 100);
    for (int i = 1; i <= 9; ++i) invocation(key, "fast", "success", false, i);
    invocation(key, "fast", "throttled", false, 0);
    invocation(key, "fast", "error", false, 20);
    invocation(key, "slow", "timeout", false, 3000);
    invocation(key, "fast/warmup", "success", true, 1, 50);  // not a variant: left out
    invocation("999", "fast", "success", false, 1);          // another run
    store->flush();
    runs->add_samples(id,
                      json::array({{{"variant", "fast"},
                                    {"seq", 0},
                                    {"sent_at_ms", 1.0},
                                    {"client_ms", 2.5},
                                    {"outcome", "success"},
                                    {"response", R"({"nodes": 4, "list": [1, 2]})"}},
                                   {{"variant", "fast"},
                                    {"seq", 1},
                                    {"sent_at_ms", 2.0},
                                    {"client_ms", 3.5},
                                    {"outcome", "success"},
                                    {"response", R"({"nodes": 6, "list": []})"}},
                                   {{"variant", "fast"}, {"seq", 2}, {"sent_at_ms", 3.0}, {"outcome", "network"}}}));

    const json stats = runs->compute_stats(id);
    const json& fast = stats["fast"];
    EXPECT_EQ(fast["invocations"], 12);
    EXPECT_EQ(fast["succeeded"], 10);
    EXPECT_EQ(fast["errors"], 1);
    EXPECT_EQ(fast["throttles"], 1);
    EXPECT_EQ(fast["coldStarts"], 1);
    EXPECT_EQ(fast["duration"]["count"], 11);  // the throttled one never ran
    EXPECT_DOUBLE_EQ(fast["duration"]["max"].get<double>(), 20);
    EXPECT_DOUBLE_EQ(fast["warmDuration"]["p50"].get<double>(), 5.5);  // 1..9 and 20
    EXPECT_DOUBLE_EQ(fast["coldDuration"]["p50"].get<double>(), 5);
    EXPECT_DOUBLE_EQ(fast["initDuration"]["mean"].get<double>(), 100);
    EXPECT_DOUBLE_EQ(fast["cost"]["perInvocation"].get<double>(), 1e-6);
    EXPECT_DOUBLE_EQ(fast["cost"]["perMillion"].get<double>(), 1.0);
    EXPECT_EQ(fast["memorySizeMb"], 256);
    EXPECT_DOUBLE_EQ(fast["clientLatency"]["p50"].get<double>(), 3);
    EXPECT_EQ(fast["client"]["networkErrors"], 1);
    EXPECT_DOUBLE_EQ(fast["responses"]["fields"]["nodes"].get<double>(), 5);
    EXPECT_DOUBLE_EQ(fast["responses"]["fields"]["list"].get<double>(), 1);
    EXPECT_EQ(stats["slow"]["errors"], 1);
    EXPECT_EQ(stats["slow"]["timeouts"], 1);
    EXPECT_FALSE(stats.contains("fast/warmup"));

    // Running: live statistics and a live count; finished: cached, with the run's outcome.
    json run = runs->run(id);
    EXPECT_EQ(run["status"], "running");
    EXPECT_EQ(run["invocations"], 14);
    EXPECT_EQ(run["variants"][0]["name"], "fast");
    EXPECT_EQ(run["variants"][0]["stats"]["succeeded"], 10);
    runs->update_variant(id, "fast", {{"status", "complete"}, {"result", {{"averageDuration", 4.2}}}});
    runs->finish_run(
        id, {{"status", "complete"}, {"headline", "fast is fast"}, {"result", {{"powerTuning", json::object()}}}});
    invocation(key, "fast", "success", false, 1);  // after the end: the cached statistics stand
    store->flush();
    run = runs->run(id);
    EXPECT_EQ(run["status"], "complete");
    EXPECT_EQ(run["headline"], "fast is fast");
    EXPECT_EQ(run["invocations"], 14);
    EXPECT_EQ(run["variants"][0]["stats"]["invocations"], 12);
    EXPECT_DOUBLE_EQ(run["variants"][0]["result"]["averageDuration"].get<double>(), 4.2);
    EXPECT_EQ(run["variants"][1]["status"], "pending");
    EXPECT_EQ(run["environment"]["hostCores"], 2);

    const json listed = runs->list_runs(10);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0]["variants"], 2);
    EXPECT_EQ(listed[0]["headline"], "fast is fast");
}

TEST_F(RunStoreTest, RowsArePagedByIdAndMissingRunsAreNotFound) {
    const std::int64_t id = runs->create_run({"paged"});
    runs->add_variant(id, "v", 0, json::object());
    for (int i = 0; i < 5; ++i) invocation(std::to_string(id), "v", "success", false, i);
    invocation(std::to_string(id), "w", "success", false, 9);
    store->flush();
    const json first = runs->invocations(id, std::string("v"), 0, 3);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0]["variant"], "v");
    EXPECT_EQ(first[0]["status"], "success");
    const json rest = runs->invocations(id, std::string("v"), first[2]["id"].get<std::int64_t>(), 100);
    EXPECT_EQ(rest.size(), 2u);
    EXPECT_EQ(runs->invocations(id, std::nullopt, 0, 100).size(), 6u);
    EXPECT_EQ(runs->invocation_count(id), 6);
    EXPECT_THROW(runs->run(id + 1), RunNotFound);
    EXPECT_THROW(runs->add_variant(id + 1, "v", 0, json::object()), RunNotFound);
    EXPECT_THROW(runs->update_variant(id, "nope", {{"status", "complete"}}), RunNotFound);
}

}  // namespace
}  // namespace lambdalab::lab
