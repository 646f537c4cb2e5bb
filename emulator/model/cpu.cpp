#include "model/cpu.hpp"

#include <algorithm>
#include <cmath>

namespace lambdalab::model {

double vcpu_share(int memory_mb, const CpuSettings& settings) {
    return std::min(settings.max_vcpus, static_cast<double>(memory_mb) / settings.mb_per_vcpu);
}

int visible_vcpus(int memory_mb) {
    if (memory_mb <= 3008) return 2;
    if (memory_mb <= 5307) return 3;
    if (memory_mb <= 7076) return 4;
    if (memory_mb <= 8845) return 5;
    return 6;
}

CpuLimit cpu_limit(int memory_mb, const CpuSettings& settings, int host_cores, bool boost_to_one_vcpu) {
    double share = vcpu_share(memory_mb, settings);
    if (boost_to_one_vcpu) share = std::max(share, 1.0);
    const double host_share = share * settings.host_cores_per_vcpu;
    CpuLimit limit;
    limit.period_us = settings.cfs_period_us;
    // CFS refuses quotas under 1 ms: stretch the period instead, which keeps the share exact.
    const double exact = host_share * settings.cfs_period_us;
    if (exact < 1000.0) limit.period_us *= static_cast<long>(std::ceil(1000.0 / exact));
    limit.quota_us = std::lround(host_share * static_cast<double>(limit.period_us));
    const int wanted = visible_vcpus(memory_mb);
    limit.cpus = std::clamp(wanted, 1, std::max(1, host_cores));
    limit.host_too_small = host_cores < wanted || host_share > host_cores;
    return limit;
}

}  // namespace lambdalab::model
