#include "model/profile.hpp"

namespace lambdalab::model {

Duration Profile::scaled(Duration d) const {
    if (time_scale <= 0) return d;
    return std::chrono::duration_cast<Duration>(d / time_scale);
}

std::optional<Profile> bundled_profile(std::string_view name) {
    Profile p;
    p.name = std::string(name);
    if (name == "aws-2026") return p;
    if (name == "aws-2018-vpc") {
        // Before Hyperplane (Sept 2019), the pre-2020 CPU rule, 100 ms billing, free INIT for managed
        // runtimes, 256 KB async payloads and the account-wide burst scaling of before Nov 2023.
        p.cpu.mb_per_vcpu = 1792.0;
        p.billing.granularity_ms = 100;
        p.billing.bill_init = false;
        p.scaling.model = ScalingSettings::Model::legacy_burst;
        p.vpc.mode = VpcSettings::Mode::legacy_eni;
        p.lifecycle.idle_lifetime = std::chrono::minutes(45);
        return p;
    }
    if (name == "none") {
        p.cold_start.sandbox_boot = Duration::zero();
        p.cold_start.download_ms_per_mb = 0;
        p.vpc.hyperplane_pending = Duration::zero();
        p.vpc.legacy_eni_setup = Duration::zero();
        p.scaling.model = ScalingSettings::Model::unlimited;
        p.lifecycle.max_lifetime = Duration::zero();
        return p;
    }
    return std::nullopt;
}

std::vector<std::string> bundled_profile_names() {
    return {"aws-2026", "aws-2018-vpc", "none"};
}

}  // namespace lambdalab::model
