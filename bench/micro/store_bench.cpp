// Store writes: invocation records through the emulator's batching writer (queue + WAL transactions,
// committed included), the lab's client-sample batches, and the per-variant statistics query.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "lab/lab_schema.hpp"
#include "lab/run_store.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace {

using namespace lambdalab;
namespace fs = std::filesystem;

fs::path scratch(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("lambdalab-bench-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

store::InvocationRecord record(std::int64_t i, const std::string& run, const std::string& variant) {
    store::InvocationRecord r;
    r.request_id = "00000000-0000-4000-8000-" + std::to_string(100000000000 + i);
    r.function = "noop";
    r.sandbox_id = "0123456789abcdef0123456789abcdef";
    r.cold = i % 100 == 0;
    r.start_time_ms = 1700000000000 + i;
    r.end_time_ms = r.start_time_ms + 1;
    r.duration_ms = 0.25 + static_cast<double>(i % 7) * 0.01;
    r.billed_duration_ms = 1;
    r.memory_size_mb = 128;
    r.max_memory_used_mb = 4;
    r.cost_usd = 2.0208e-7;
    r.profile = "none";
    r.resource_control = "cgroup-v1";
    r.run_id = run;
    r.variant = variant;
    return r;
}

// Records per second the emulator's store sustains, commits included (flush at the end of each batch).
void BM_StoreRecordInvocation(benchmark::State& state) {
    const fs::path dir = scratch("store");
    {
        store::Store store(dir / "lambdalab.db");
        std::int64_t i = 0;
        const std::int64_t batch = state.range(0);
        for (auto _ : state) {
            for (std::int64_t k = 0; k < batch; ++k) store.record_invocation(record(i++, "1", "v"));
            store.flush();
        }
        state.SetItemsProcessed(state.iterations() * batch);
    }
    fs::remove_all(dir);
}
BENCHMARK(BM_StoreRecordInvocation)->Arg(1)->Arg(100)->Arg(2000)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The runner's client samples, as POST /api/runs/{id}/samples stores a batch.
void BM_LabAddSamples(benchmark::State& state) {
    const fs::path dir = scratch("samples");
    {
        store::Store core(dir / "lambdalab.db");
        store::Connection db((dir / "lambdalab.db").string());
        lab::migrate_lab(db);
        lab::RunStore runs(db);
        const std::int64_t run = runs.create_run({"bench"});
        nlohmann::json batch = nlohmann::json::array();
        for (std::int64_t i = 0; i < state.range(0); ++i) {
            batch.push_back({{"variant", "v"},
                             {"seq", i},
                             {"request_id", "req-" + std::to_string(i)},
                             {"sent_at_ms", 1.7e12},
                             {"client_ms", 0.8},
                             {"http_status", 200},
                             {"outcome", "success"}});
        }
        for (auto _ : state) runs.add_samples(run, batch);
        state.SetItemsProcessed(state.iterations() * state.range(0));
    }
    fs::remove_all(dir);
}
BENCHMARK(BM_LabAddSamples)->Arg(500)->Arg(5000)->UseRealTime()->Unit(benchmark::kMillisecond);

// The statistics of a finished variant: what GET /api/runs/{id} computes for a running run.
void BM_LabComputeStats(benchmark::State& state) {
    const fs::path dir = scratch("stats");
    {
        store::Store core(dir / "lambdalab.db");
        store::Connection db((dir / "lambdalab.db").string());
        lab::migrate_lab(db);
        lab::RunStore runs(db);
        const std::int64_t run = runs.create_run({"bench"});
        runs.add_variant(run, "a", 0, nlohmann::json::object());
        runs.add_variant(run, "b", 1, nlohmann::json::object());
        for (std::int64_t i = 0; i < state.range(0); ++i)
            core.record_invocation(record(i, std::to_string(run), i % 2 ? "a" : "b"));
        core.flush();
        for (auto _ : state) benchmark::DoNotOptimize(runs.compute_stats(run));
        state.SetItemsProcessed(state.iterations() * state.range(0));
    }
    fs::remove_all(dir);
}
BENCHMARK(BM_LabComputeStats)->Arg(1000)->Arg(20000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
