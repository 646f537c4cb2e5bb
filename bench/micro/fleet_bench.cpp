// Invoke routing, the model's hot path: every invocation is one Fleet::place and one Fleet::finish.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "model/fleet.hpp"

namespace {

using namespace lambdalab::model;

// A warm invocation: the most recently used idle sandbox is taken and given back. The argument is how
// many sandboxes the function has (idle ones to choose from).
void BM_FleetPlaceFinishWarm(benchmark::State& state) {
    ManualClock clock;
    Profile profile;
    Fleet fleet(clock, profile);
    fleet.set_policy("f", {});
    std::vector<SandboxId> sandboxes;
    for (int i = 0; i < state.range(0); ++i) sandboxes.push_back(fleet.place("f", "$LATEST").sandbox);
    for (const SandboxId id : sandboxes) fleet.finish(id);
    for (auto _ : state) {
        const Placement p = fleet.place("f", "$LATEST");
        benchmark::DoNotOptimize(p.sandbox);
        fleet.finish(p.sandbox);
        clock.advance(std::chrono::microseconds(100));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FleetPlaceFinishWarm)->Arg(1)->Arg(64)->Arg(1000);

// Many functions at once (an account's worth), invoked round-robin, each with a warm sandbox.
void BM_FleetManyFunctions(benchmark::State& state) {
    ManualClock clock;
    Profile profile;
    Fleet fleet(clock, profile);
    std::vector<std::string> names;
    for (int i = 0; i < state.range(0); ++i) {
        names.push_back("function-" + std::to_string(i));
        fleet.set_policy(names.back(), {});
        fleet.finish(fleet.place(names.back(), "$LATEST").sandbox);
    }
    std::size_t next = 0;
    for (auto _ : state) {
        const Placement p = fleet.place(names[next], "$LATEST");
        fleet.finish(p.sandbox);
        next = (next + 1) % names.size();
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FleetManyFunctions)->Arg(100)->Arg(1000);

// Concurrency growing to a reserved limit and throttling beyond it, then draining.
void BM_FleetBurstToThrottle(benchmark::State& state) {
    ManualClock clock;
    Profile profile;
    Fleet fleet(clock, profile);
    fleet.set_policy("f", {.reserved_concurrency = 50});
    std::vector<SandboxId> busy;
    std::int64_t throttled = 0;
    for (auto _ : state) {
        busy.clear();
        for (int i = 0; i < 100; ++i) {
            const Placement p = fleet.place("f", "$LATEST");
            if (p.kind == Placement::Kind::throttled)
                ++throttled;
            else
                busy.push_back(p.sandbox);
        }
        for (const SandboxId id : busy) fleet.finish(id);
        clock.advance(std::chrono::seconds(1));
    }
    state.SetItemsProcessed(state.iterations() * 100);
    state.counters["throttled_per_burst"] = static_cast<double>(throttled) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_FleetBurstToThrottle);

}  // namespace
