// A CPU-bound test function: {"iterations": N, "threads": T} spreads N rounds of integer hashing over
// T threads and reports how long the handler took and how many CPUs it could run on.
#include <sched.h>

#include <chrono>
#include <cstdint>
#include <lambdalab/runtime.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace {

std::uint64_t burn(std::uint64_t rounds, std::uint64_t seed) {
    std::uint64_t x = seed | 1;
    for (std::uint64_t i = 0; i < rounds; ++i) x = (x ^ (x >> 31)) * 0x9E3779B97F4A7C15ULL + i;
    return x;
}

int visible_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

}  // namespace

int main() {
    return lambdalab::runtime::run([](const std::string& event, const lambdalab::runtime::Context&) {
        const auto payload = nlohmann::json::parse(event.empty() ? "{}" : event);
        const auto iterations = payload.value("iterations", std::uint64_t{10'000'000});
        const int threads = std::max(1, payload.value("threads", 1));
        const auto start = std::chrono::steady_clock::now();
        std::vector<std::uint64_t> results(static_cast<std::size_t>(threads));
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] { results[static_cast<std::size_t>(t)] = burn(iterations / threads, t); });
        }
        for (auto& worker : workers) worker.join();
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        std::uint64_t checksum = 0;
        for (const auto r : results) checksum ^= r;
        return lambdalab::runtime::Result::success(nlohmann::json{
            {"handler_ms", ms},
            {"threads", threads},
            {"visible_cpus", visible_cpus()},
            {"checksum", checksum}}.dump());
    });
}
