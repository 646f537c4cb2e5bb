// The lab's pure hot spots: reading a REPORT line out of every tail, and planning an open loop.
#include <benchmark/benchmark.h>

#include "lab/arrivals.hpp"
#include "lab/power_tuning.hpp"
#include "lab/stats.hpp"

namespace {

using namespace lambdalab::lab;

void BM_ParseReport(benchmark::State& state) {
    const std::string log =
        "START RequestId: 6d7e Version: $LATEST\nhello\nEND RequestId: 6d7e\n"
        "REPORT RequestId: 6d7e\tDuration: 102.25 ms\tBilled Duration: 226 ms\tMemory Size: 128 MB\t"
        "Max Memory Used: 40 MB\tInit Duration: 123.45 ms\t\n";
    for (auto _ : state) benchmark::DoNotOptimize(parse_report(log));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseReport);

void BM_ArrivalSchedulePoisson(benchmark::State& state) {
    Phase phase;
    phase.duration_s = 100;
    phase.arrival_rate = static_cast<double>(state.range(0)) / 200;
    phase.ramp_to = static_cast<double>(state.range(0)) / 100 * 1.5;
    for (auto _ : state) benchmark::DoNotOptimize(arrival_schedule({phase}, ArrivalProcess::poisson, 1));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ArrivalSchedulePoisson)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_TrimmedMean(benchmark::State& state) {
    std::vector<double> values;
    for (int i = 0; i < state.range(0); ++i) values.push_back(static_cast<double>((i * 7919) % 1000));
    for (auto _ : state) benchmark::DoNotOptimize(trimmed_mean(values, 0.2));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_TrimmedMean)->Arg(100)->Arg(10000);

}  // namespace
