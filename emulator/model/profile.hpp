#pragma once
// A profile bundles every simulated delay and limit (DESIGN.md "Lambda facts to emulate"):
// `aws-2026` (default), `aws-2018-vpc` (pre-Hyperplane VPC, burst scaling, 100 ms billing) and `none`
// (no simulated delays or limits beyond the real process). Every invocation record names its profile.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/billing.hpp"
#include "model/clock.hpp"
#include "model/cpu.hpp"
#include "model/scaling.hpp"

namespace lambdalab::model {

struct ConcurrencySettings {
    int account_limit = 1000;
    int unreserved_minimum = 100;  // reservations may not leave less than this unreserved
};

enum class Routing { most_recently_used, newest_created, random };

struct LifecycleSettings {
    Duration idle_lifetime = std::chrono::minutes(10);
    // Spread of the idle lifetime: each sandbox lives idle_lifetime +/- a uniform draw of this.
    Duration idle_lifetime_spread = Duration::zero();
    Duration max_lifetime = std::chrono::hours(4);  // forced recycle; zero disables it
    // An idle sandbox is frozen once it has been idle this long: back-to-back invocations skip the
    // freeze/thaw pair, while background work still stops within a few milliseconds, as on Lambda.
    Duration freeze_delay = std::chrono::milliseconds(2);
    Routing routing = Routing::most_recently_used;
};

struct ColdStartSettings {
    Duration sandbox_boot = std::chrono::milliseconds(125);  // not part of Init Duration
    double download_ms_per_mb = 48.0;                        // Node.js measurement, above the free size
    double download_free_mb = 4.0;
    Duration init_limit = std::chrono::seconds(10);  // on-demand INIT budget
    bool boost_on_demand_init = true;                // on-demand INIT runs with >= 1 vCPU
};

struct VpcSettings {
    enum class Mode { hyperplane, legacy_eni };
    Mode mode = Mode::hyperplane;
    Duration hyperplane_pending = std::chrono::seconds(90);  // function Pending after a new VPC config
    Duration legacy_eni_setup = std::chrono::seconds(10);    // per new ENI in legacy mode
    double legacy_gb_per_eni = 3.0;                          // one ENI per 3 GB of concurrent memory
    int subnet_free_ips = 251;                               // a /24 subnet minus AWS's 5 reserved
};

struct AsyncSettings {
    int max_retries = 2;
    std::vector<Duration> retry_delays{std::chrono::seconds(60), std::chrono::seconds(120)};
    Duration max_event_age = std::chrono::hours(6);
    Duration throttle_backoff_initial = std::chrono::seconds(1);
    Duration throttle_backoff_max = std::chrono::minutes(5);
};

struct Profile {
    std::string name = "aws-2026";
    // Divides every simulated wait (cold-start phases, async retry delays, VPC Pending), so experiments
    // and tests can run Lambda's minutes in seconds. Real work (init, handlers) is never scaled.
    double time_scale = 1.0;
    CpuSettings cpu;
    BillingSettings billing;
    ConcurrencySettings concurrency;
    ScalingSettings scaling;
    LifecycleSettings lifecycle;
    ColdStartSettings cold_start;
    VpcSettings vpc;
    AsyncSettings async;

    Duration scaled(Duration d) const;
};

// The bundled profiles; nullopt for an unknown name.
std::optional<Profile> bundled_profile(std::string_view name);
std::vector<std::string> bundled_profile_names();

}  // namespace lambdalab::model
