#include "model/vpc.hpp"

#include <algorithm>

namespace lambdalab::model {

std::string network_key(std::vector<std::string> subnets, std::vector<std::string> security_groups) {
    std::sort(subnets.begin(), subnets.end());
    std::sort(security_groups.begin(), security_groups.end());
    std::string key;
    for (const auto& s : subnets) key += s + ",";
    key += "|";
    for (const auto& g : security_groups) key += g + ",";
    return key;
}

std::optional<VpcNetworks::Attachment> VpcNetworks::attach(const std::string& function, const std::string& key,
                                                           int subnet_count, int memory_mb) {
    const int capacity_mb = static_cast<int>(settings_.legacy_gb_per_eni * 1024);
    for (auto& [id, worker] : workers_) {
        if (worker.function == function && worker.key == key &&
            worker.used_mb + memory_mb <= std::max(capacity_mb, memory_mb)) {
            worker.used_mb += memory_mb;
            return Attachment{id, false};
        }
    }
    if (free_ips(key, subnet_count) <= 0) return std::nullopt;
    const std::uint64_t id = next_worker_++;
    workers_.emplace(id, Worker{function, key, memory_mb});
    return Attachment{id, true};
}

void VpcNetworks::detach(std::uint64_t worker, int memory_mb) {
    const auto it = workers_.find(worker);
    if (it == workers_.end()) return;
    it->second.used_mb -= memory_mb;
    if (it->second.used_mb <= 0) workers_.erase(it);
}

int VpcNetworks::enis(const std::string& key) const {
    return static_cast<int>(
        std::count_if(workers_.begin(), workers_.end(), [&](const auto& w) { return w.second.key == key; }));
}

int VpcNetworks::free_ips(const std::string& key, int subnet_count) const {
    return settings_.subnet_free_ips * std::max(1, subnet_count) - enis(key);
}

}  // namespace lambdalab::model
