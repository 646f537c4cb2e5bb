#include "store/store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace lambdalab::store {
namespace {

namespace fs = std::filesystem;

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path = fs::temp_directory_path() /
               ("store-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name()) /
               "db.sqlite";
        fs::remove_all(path.parent_path());
    }
    void TearDown() override { fs::remove_all(path.parent_path()); }
    fs::path path;
};

TEST_F(StoreTest, FunctionsAreDurableAcrossReopening) {
    {
        Store store(path);
        store.save_function("a", "$LATEST", R"({"FunctionName":"a"})");
        store.save_function("b", "$LATEST", R"({"FunctionName":"b"})");
        store.save_function("a", "$LATEST", R"({"FunctionName":"a","MemorySize":256})");
        store.save_function("a", "10", R"({"FunctionName":"a","Version":"10"})");
        store.save_function("a", "9", R"({"FunctionName":"a","Version":"9"})");
        store.delete_function("b");
    }
    Store reopened(path);
    const auto rows = reopened.reader().functions();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].name, "a");
    EXPECT_EQ(rows[0].version, "$LATEST");
    EXPECT_EQ(rows[0].config_json, R"({"FunctionName":"a","MemorySize":256})");
    EXPECT_EQ(rows[1].version, "9") << "versions in numeric order";
    EXPECT_EQ(rows[2].version, "10");
    reopened.delete_function_version("a", "9");
    EXPECT_EQ(reopened.reader().functions().size(), 2u);
}

TEST_F(StoreTest, InvocationsAndLogsAreWrittenInBatchesAndReadBack) {
    Store store(path);
    for (int i = 0; i < 2500; ++i) {
        InvocationRecord r;
        r.request_id = "req-" + std::to_string(i);
        r.function = i % 2 ? "odd" : "even";
        r.start_time_ms = i;
        r.duration_ms = i * 0.5;
        r.init_duration_ms = i == 0 ? std::optional<double>(12.5) : std::nullopt;
        r.profile = "none";
        store.record_invocation(r);
        store.record_log({r.function, "sandbox", r.request_id, i, "line " + std::to_string(i) + "\n"});
    }
    store.flush();
    EXPECT_EQ(store.reader().invocation_count("even"), 1250);
    const auto newest = store.reader().invocations("even", 2);
    ASSERT_EQ(newest.size(), 2u);
    EXPECT_EQ(newest[0].request_id, "req-2498");
    const auto first = store.reader().invocations("even", 5000).back();
    EXPECT_EQ(first.request_id, "req-0");
    EXPECT_EQ(first.init_duration_ms, 12.5);
    EXPECT_FALSE(newest[0].init_duration_ms);
    const auto logs = store.reader().logs("odd", 3);
    ASSERT_EQ(logs.size(), 3u);
    EXPECT_EQ(logs.back().message, "line 2499\n");
    EXPECT_EQ(logs.front().message, "line 2495\n");
}

TEST_F(StoreTest, RetriesOfAnEventShareTheirRequestId) {
    Store store(path);
    InvocationRecord r;
    r.request_id = "same";
    r.function = "f";
    r.profile = "none";
    store.record_invocation(r);
    store.record_invocation(r);
    store.flush();
    EXPECT_EQ(store.reader().invocation_count("f"), 2);
}

TEST_F(StoreTest, AsyncEventsAndDeadLettersRoundTrip) {
    Store store(path);
    store.save_async_event({"id-1", "f", "live", "{}", "Root=1", 1000, 0, 0, 1000});
    store.save_async_event({"id-2", "f", "", "{\"a\":1}", "", 2000, 0, 0, 2000});
    store.update_async_event({"id-1", "f", "live", "{}", "Root=1", 1000, 2, 1, 5000});
    store.delete_async_event("id-2");
    store.record_dead_letter({"id-3", "f", "RetriesExhausted", "", "{}", 7});
    store.flush();
    const auto events = store.reader().async_events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].qualifier, "live");
    EXPECT_EQ(events[0].attempts, 2);
    EXPECT_EQ(events[0].function_errors, 1);
    EXPECT_EQ(events[0].next_attempt_at_ms, 5000);
    const auto letters = store.reader().dead_letters("f");
    ASSERT_EQ(letters.size(), 1u);
    EXPECT_EQ(letters[0].condition, "RetriesExhausted");
    EXPECT_EQ(letters[0].destination, "");
}

TEST_F(StoreTest, AnUnwritableLocationIsAClearError) {
    EXPECT_THROW(Store(fs::path("/proc/lambdalab/cannot/exist.db")), std::exception);
}

}  // namespace
}  // namespace lambdalab::store
