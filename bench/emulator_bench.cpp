// The emulator's own speed, through its public interfaces: warm invocations of a no-op C++ function
// over keep-alive Invoke API connections (latency p50/p99 and throughput at 1, 8 and 64 clients), the
// cold-start overhead of each runtime (spawn to its first /next, the emulator's Init Duration), and the
// benchmark lab's runner path (its load engine tagging every invocation with a run, each row committed
// to SQLite). Targets on a 2-core machine: warm p50 under 200 us, 5,000 invocations/s at 8 clients, C++
// cold start under 10 ms, the lab runner at least 2,000 stored invocations/s. Run: build/bench_emulator
// (or `make bench`).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>
#include <vector>

#include "app/emulator.hpp"
#include "common/base64.hpp"
#include "lab/lambda_client.hpp"
#include "lab/load_engine.hpp"
#include "lab/stats.hpp"
#include "net/http_client.hpp"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Harness {
    fs::path data_dir;
    std::unique_ptr<lambdalab::app::Emulator> emulator;
    std::thread loop;
    std::string port;
};
Harness* harness = nullptr;

fs::path exe_dir() {
    return fs::read_symlink("/proc/self/exe").parent_path();
}

void start_emulator() {
    harness = new Harness;
    harness->data_dir = fs::temp_directory_path() / ("lambdalab-bench-" + std::to_string(::getpid()));
    fs::remove_all(harness->data_dir);
    fs::create_directories(harness->data_dir);
    const fs::path source = fs::path(LAMBDALAB_SOURCE_DIR);
    const nlohmann::json functions = {
        {"Functions",
         {{{"FunctionName", "noop-cpp"},
           {"Runtime", "provided.al2023"},
           {"Handler", "bootstrap"},
           {"CodeDirectory", (exe_dir() / "functions" / "noop-cpp").string()},
           // A full vCPU: the emulator's overhead, not 128 MB's CPU share, is what is measured.
           {"MemorySize", 1769}},
          {{"FunctionName", "hello-python"},
           {"Runtime", "python3.12"},
           {"Handler", "app.handler"},
           {"CodeDirectory", (source / "workloads" / "hello" / "python").string()}},
          {{"FunctionName", "hello-node"},
           {"Runtime", "nodejs22.x"},
           {"Handler", "index.handler"},
           {"CodeDirectory", (source / "workloads" / "hello" / "node").string()}}}}};
    std::ofstream(harness->data_dir / "functions.json") << functions.dump();

    lambdalab::app::EmulatorOptions options;
    options.port = 0;
    options.data_dir = harness->data_dir;
    options.functions_file = harness->data_dir / "functions.json";
    options.profile = "none";  // the emulator's own overhead, without simulated delays
    options.quiet = true;
    // How CPU and memory are enforced changes the wake-up path; compare with LAMBDALAB_BENCH_RESOURCE_CONTROL=none.
    if (const char* control = std::getenv("LAMBDALAB_BENCH_RESOURCE_CONTROL")) options.resource_control = control;
    if (const char* setting = std::getenv("LAMBDALAB_BENCH_SET")) options.settings.emplace_back(setting);
    harness->emulator = std::make_unique<lambdalab::app::Emulator>(options);
    harness->port = std::to_string(harness->emulator->port());
    harness->loop = std::thread([] { harness->emulator->run(/*handle_signals=*/false); });
}

void stop_emulator() {
    harness->emulator->stop();
    harness->loop.join();
    harness->emulator.reset();
    fs::remove_all(harness->data_dir);
    delete harness;
}

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    return lambdalab::lab::percentile_sorted(samples, p);  // the lab's definition, so figures compare
}

lambdalab::net::Response invoke(lambdalab::net::HttpClient& client, const std::string& function, bool tail = false) {
    lambdalab::net::Request request{lambdalab::net::http::verb::post,
                                    "/2015-03-31/functions/" + function + "/invocations", 11};
    if (tail) request.set("X-Amz-Log-Type", "Tail");
    request.body() = "{}";
    return client.send(std::move(request));
}

// Warm invocations of the no-op C++ function; each benchmark thread is one keep-alive client.
void BM_WarmInvoke(benchmark::State& state) {
    lambdalab::net::HttpClient client("127.0.0.1", harness->port);
    for (int i = 0; i < 20; ++i) invoke(client, "noop-cpp");  // every client's sandbox is warm
    std::vector<double> latencies_us;
    latencies_us.reserve(200000);
    std::size_t failures = 0;
    for (auto _ : state) {
        const auto start = Clock::now();
        const auto response = invoke(client, "noop-cpp");
        latencies_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        if (response.result_int() != 200 || response.count("X-Amz-Function-Error")) ++failures;
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["p50_us"] = benchmark::Counter(percentile(latencies_us, 0.50), benchmark::Counter::kAvgThreads);
    state.counters["p99_us"] = benchmark::Counter(percentile(latencies_us, 0.99), benchmark::Counter::kAvgThreads);
    state.counters["failures"] = benchmark::Counter(static_cast<double>(failures));
}
BENCHMARK(BM_WarmInvoke)->Threads(1)->Threads(8)->Threads(64)->UseRealTime()->MinTime(3.0);

// A cold start per iteration: a configuration change discards the warm sandbox (as on Lambda), then
// one invocation reports Init Duration, which is spawn to first /next measured by the emulator.
void BM_ColdStart(benchmark::State& state, const std::string& function) {
    lambdalab::net::HttpClient client("127.0.0.1", harness->port);
    const std::regex init_duration(R"(Init Duration: ([\d.]+) ms)");
    std::vector<double> init_ms;
    int generation = 0;
    for (auto _ : state) {
        state.PauseTiming();
        lambdalab::net::Request update{lambdalab::net::http::verb::put,
                                       "/2015-03-31/functions/" + function + "/configuration", 11};
        update.body() = nlohmann::json{{"Description", "cold start " + std::to_string(++generation)}}.dump();
        client.send(std::move(update));
        state.ResumeTiming();
        const auto response = invoke(client, function, /*tail=*/true);
        const auto log = lambdalab::base64_decode(std::string(response["X-Amz-Log-Result"])).value_or("");
        std::smatch match;
        if (std::regex_search(log, match, init_duration)) init_ms.push_back(std::stod(match[1]));
    }
    state.counters["init_p50_ms"] = percentile(init_ms, 0.50);
    state.counters["init_p90_ms"] = percentile(init_ms, 0.90);
    state.counters["samples"] = static_cast<double>(init_ms.size());
}
BENCHMARK_CAPTURE(BM_ColdStart, cpp, std::string("noop-cpp"))->Iterations(60)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ColdStart, python, std::string("hello-python"))->Iterations(30)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ColdStart, node, std::string("hello-node"))->Iterations(30)->Unit(benchmark::kMillisecond);

// The lab's runner path: one thread of asynchronous keep-alive connections (lab::LoadEngine) keeping
// `concurrency` invocations in flight, each tagged with a run and variant; an iteration ends when the
// emulator has committed every row to SQLite, so items/s is stored invocations per second.
void BM_LabRunnerThroughput(benchmark::State& state) {
    const std::string endpoint = "http://127.0.0.1:" + harness->port;
    lambdalab::lab::LambdaClient lab(endpoint);
    const std::string variant = "c" + std::to_string(state.range(0));
    const std::int64_t run = lab.create_run({{"name", "bench_emulator " + variant}});
    lab.add_variant(run, {{"name", variant}});
    lambdalab::lab::LoadEngine engine("127.0.0.1", harness->port);
    const std::atomic<bool> stop{false};
    constexpr long kPerIteration = 5000;
    long sent = 0;
    long failures = 0;
    lambdalab::lab::Job job;
    job.num = kPerIteration;
    job.concurrency = static_cast<int>(state.range(0));
    job.make = [&](long) {
        return lambdalab::lab::InvocationSpec{"noop-cpp", "", "{}", std::to_string(run), variant, false};
    };
    job.on_result = [&](long, const lambdalab::lab::InvocationResult& r, std::optional<double>, std::optional<double>) {
        if (r.outcome() != "success") ++failures;
    };
    engine.run(job, stop, {});  // warm: one sandbox per slot
    const long warm_rows = kPerIteration;
    for (auto _ : state) {
        engine.run(job, stop, {});
        sent += kPerIteration;
        while (lab.run(run, false).value("invocations", 0L) < warm_rows + sent)
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    state.SetItemsProcessed(sent);
    state.counters["failures"] = static_cast<double>(failures);
    lab.finish_run(run, {{"status", "complete"}});
}
BENCHMARK(BM_LabRunnerThroughput)->Arg(8)->Arg(32)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::AddCustomContext("host_cores", std::to_string(std::thread::hardware_concurrency()));
    benchmark::AddCustomContext("profile", "none");
    benchmark::AddCustomContext("memory_size_mb", "1769 (noop-cpp), 128 (cold starts)");
    start_emulator();
    benchmark::RunSpecifiedBenchmarks();
    stop_emulator();
    benchmark::Shutdown();
    return 0;
}
