#pragma once
// Billing: duration (INIT included since Aug 2025) rounded up to the granularity, times memory in GB,
// times the price for the architecture, plus the per-request price (reference/perf-model.md §6).
#include <cstdint>
#include <optional>
#include <string_view>

namespace lambdalab::model {

enum class Architecture { x86_64, arm64 };
std::optional<Architecture> parse_architecture(std::string_view name);
std::string_view to_string(Architecture arch);

struct BillingSettings {
    int granularity_ms = 1;  // 100 before Dec 2020
    bool bill_init = true;   // since 2025-08-01 INIT is billed for every runtime
    double price_per_gb_second_x86 = 0.0000166667;
    double price_per_gb_second_arm = 0.0000133334;
    double price_per_request = 0.0000002;
    // Provisioned concurrency: invocations on provisioned sandboxes pay a lower duration price; the
    // configured concurrency itself costs price_provisioned_* per GB-second while it is enabled.
    double price_per_gb_second_on_provisioned_x86 = 0.0000097222;
    double price_per_gb_second_on_provisioned_arm = 0.0000077778;
    double price_provisioned_x86 = 0.0000041667;
    double price_provisioned_arm = 0.0000033334;
};

struct BillingInput {
    double duration_ms = 0;
    std::optional<double> init_duration_ms;  // set on cold starts
    int memory_mb = 128;
    Architecture architecture = Architecture::x86_64;
    // Before Aug 2025, managed runtimes' INIT was free; custom runtimes always paid for it.
    bool managed_runtime = false;
    bool provisioned = false;  // ran on a provisioned-concurrency sandbox
};

struct Bill {
    std::int64_t billed_duration_ms = 0;
    double cost_usd = 0;  // duration charge plus the request charge
};

Bill bill(const BillingSettings& settings, const BillingInput& input);

// What keeping `concurrency` sandboxes of `memory_mb` provisioned for `seconds` costs (billed in 5-minute steps).
double provisioned_concurrency_cost(const BillingSettings& settings, int concurrency, int memory_mb, double seconds,
                                    Architecture architecture);

}  // namespace lambdalab::model
