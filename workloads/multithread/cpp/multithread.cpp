// multithread-cpp: one CPU-bound job (count the primes <= max with a segmented sieve) split over T threads,
// to measure what a sandbox's vCPUs give a multithreaded handler (the workshop's "MultiThreading" module).
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <lambdalab/runtime.hpp>
#include <thread>
#include <vector>

#include "payload.hpp"

namespace rt = lambdalab::runtime;

namespace {

// Numbers per segment: the segment's flags fit in a core's L1/L2 cache, so threads do not share memory
// bandwidth more than they must.
constexpr std::int64_t kSegment = 1 << 16;

// The CPUs this process may run on (its affinity mask), which is what the sandbox sees.
int visible_cpus() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// The primes <= limit, by a plain sieve; limit is sqrt(max), so this is small.
std::vector<std::int64_t> base_primes(std::int64_t limit) {
    std::vector<std::uint8_t> composite(static_cast<std::size_t>(limit) + 1, 0);
    std::vector<std::int64_t> primes;
    for (std::int64_t i = 2; i <= limit; ++i) {
        if (composite[i]) continue;
        primes.push_back(i);
        for (std::int64_t multiple = i * i; multiple <= limit; multiple += i) composite[multiple] = 1;
    }
    return primes;
}

// The primes in [low, high) with low >= 2, crossing out multiples of the base primes.
std::int64_t count_segment(std::int64_t low, std::int64_t high, const std::vector<std::int64_t>& primes,
                           std::vector<std::uint8_t>& composite) {
    std::fill(composite.begin(), composite.end(), 0);
    for (const std::int64_t p : primes) {
        if (p * p >= high) break;
        for (std::int64_t multiple = std::max(p * p, (low + p - 1) / p * p); multiple < high; multiple += p)
            composite[multiple - low] = 1;
    }
    return (high - low) - std::count(composite.begin(), composite.begin() + (high - low), 1);
}

// Segments are dealt round-robin (thread t takes segments t, t+T, ...) so every thread gets the same
// mix of cheap and expensive segments.
std::int64_t count_primes(std::int64_t max, int threads) {
    const auto primes = base_primes(static_cast<std::int64_t>(std::sqrt(static_cast<double>(max))) + 1);
    const std::int64_t segments = (max - 1 + kSegment - 1) / kSegment;  // covering [2, max]
    std::vector<std::int64_t> counts(threads, 0);
    std::vector<std::jthread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            std::vector<std::uint8_t> composite(kSegment);
            std::int64_t count = 0;
            for (std::int64_t s = t; s < segments; s += threads) {
                const std::int64_t low = 2 + s * kSegment;
                count += count_segment(low, std::min(low + kSegment, max + 1), primes, composite);
            }
            counts[t] = count;
        });
    }
    workers.clear();  // joins
    std::int64_t total = 0;
    for (const std::int64_t count : counts) total += count;
    return total;
}

rt::Result handle(const std::string& event) {
    const int cpus = visible_cpus();
    const auto payload = workloads::parse_payload(event);
    const auto threads = static_cast<int>(workloads::int_param(payload, "threads", cpus, 1, 256));
    const auto max = workloads::int_param(payload, "max", 200'000'000, 2, 10'000'000'000);

    const auto started = std::chrono::steady_clock::now();
    const std::int64_t count = count_primes(max, threads);
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;

    const nlohmann::json result{
        {"count", count}, {"max", max}, {"threads", threads}, {"cpus", cpus}, {"duration_ms", elapsed.count()}};
    return rt::Result::success(result.dump());
}

}  // namespace

int main() {
    return rt::run([](const std::string& event, const rt::Context&) { return handle(event); });
}
