#include "model/billing.hpp"

#include <algorithm>
#include <cmath>

namespace lambdalab::model {

std::optional<Architecture> parse_architecture(std::string_view name) {
    if (name == "x86_64") return Architecture::x86_64;
    if (name == "arm64") return Architecture::arm64;
    return std::nullopt;
}

std::string_view to_string(Architecture arch) {
    return arch == Architecture::arm64 ? "arm64" : "x86_64";
}

Bill bill(const BillingSettings& settings, const BillingInput& input) {
    double billable_ms = input.duration_ms;
    if (input.init_duration_ms && (settings.bill_init || !input.managed_runtime))
        billable_ms += *input.init_duration_ms;
    const double granularity = std::max(1, settings.granularity_ms);
    // Rounded up, but a whole number of ms that is already on the grid stays as it is.
    const auto units = static_cast<std::int64_t>(std::ceil(billable_ms / granularity - 1e-9));
    Bill result;
    result.billed_duration_ms = std::max<std::int64_t>(1, units) * static_cast<std::int64_t>(granularity);
    const bool arm = input.architecture == Architecture::arm64;
    const double price =
        input.provisioned
            ? (arm ? settings.price_per_gb_second_on_provisioned_arm : settings.price_per_gb_second_on_provisioned_x86)
            : (arm ? settings.price_per_gb_second_arm : settings.price_per_gb_second_x86);
    const double gb_seconds = (input.memory_mb / 1024.0) * (static_cast<double>(result.billed_duration_ms) / 1000.0);
    result.cost_usd = gb_seconds * price + settings.price_per_request;
    return result;
}

}  // namespace lambdalab::model

namespace lambdalab::model {

double provisioned_concurrency_cost(const BillingSettings& settings, int concurrency, int memory_mb, double seconds,
                                    Architecture architecture) {
    const double billed_seconds = std::ceil(seconds / 300.0) * 300.0;  // "rounded up to the nearest five minutes"
    const double price =
        architecture == Architecture::arm64 ? settings.price_provisioned_arm : settings.price_provisioned_x86;
    return concurrency * (memory_mb / 1024.0) * billed_seconds * price;
}

}  // namespace lambdalab::model
