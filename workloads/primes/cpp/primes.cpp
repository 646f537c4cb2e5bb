// primes-cpp: computes all primes <= max, n times over (the Power Tuning CPU-bound example: "compute 1,000
// times all prime numbers <= 1M"), and returns the prime count with the time the handler measured.
#include <chrono>
#include <cstdint>
#include <lambdalab/runtime.hpp>
#include <vector>

#include "payload.hpp"

namespace rt = lambdalab::runtime;

namespace {

// Sieve of Eratosthenes: is_prime[i] for 0 <= i <= max.
std::vector<std::uint8_t> sieve(std::int64_t max) {
    std::vector<std::uint8_t> is_prime(static_cast<std::size_t>(max) + 1, 1);
    is_prime[0] = 0;
    if (max >= 1) is_prime[1] = 0;
    for (std::int64_t i = 2; i * i <= max; ++i) {
        if (!is_prime[i]) continue;
        for (std::int64_t multiple = i * i; multiple <= max; multiple += i) is_prime[multiple] = 0;
    }
    return is_prime;
}

std::int64_t count_primes(std::int64_t max) {
    std::int64_t count = 0;
    for (const std::uint8_t flag : sieve(max)) count += flag;
    return count;
}

rt::Result handle(const std::string& event) {
    const auto payload = workloads::parse_payload(event);
    const auto n = workloads::int_param(payload, "n", 10, 1, 1'000'000);
    const auto max = workloads::int_param(payload, "max", 1'000'000, 2, 1'000'000'000);

    const auto started = std::chrono::steady_clock::now();
    std::int64_t count = 0;
    for (std::int64_t round = 0; round < n; ++round) count = count_primes(max);
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;

    return rt::Result::success(
        nlohmann::json{{"count", count}, {"n", n}, {"max", max}, {"duration_ms", elapsed.count()}}.dump());
}

}  // namespace

int main() {
    return rt::run([](const std::string& event, const rt::Context&) { return handle(event); });
}
