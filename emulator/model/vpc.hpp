#pragma once
// VPC networking (reference/perf-model.md §5):
// - Hyperplane (since Sept 2019): one ENI per subnet and security-group combination in the account,
//   made when a function first uses that combination; the function is Pending meanwhile, and cold
//   starts pay nothing extra afterwards.
// - Legacy (before): sandboxes run on workers; each worker of a VPC function holds up to 3 GB of
//   sandboxes and needs its own ENI (about 10 s to set up, one IP of the subnet). When the subnet has
//   no IP left, invocations that need a new worker fail with SubnetIPAddressLimitReachedException.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/profile.hpp"

namespace lambdalab::model {

// A subnet and security-group combination, in a canonical form (sorted, joined).
std::string network_key(std::vector<std::string> subnets, std::vector<std::string> security_groups);

class VpcNetworks {
  public:
    explicit VpcNetworks(const VpcSettings& settings) : settings_(settings) {}

    // Hyperplane: whether the combination's ENI exists; a new one must be created (and the function
    // is Pending until then).
    bool hyperplane_ready(const std::string& key) const { return hyperplane_.contains(key); }
    void hyperplane_created(const std::string& key) { hyperplane_.insert(key); }

    struct Attachment {
        std::uint64_t worker = 0;
        bool new_eni = false;  // the cold start waits for an ENI to be set up
    };
    // Legacy: places a sandbox of `memory_mb` on a worker of the function in the subnets (first fit);
    // nullopt when a new worker is needed and the subnets have no free IP.
    std::optional<Attachment> attach(const std::string& function, const std::string& key, int subnet_count,
                                     int memory_mb);
    // The sandbox is gone; an empty worker gives its ENI and IP back.
    void detach(std::uint64_t worker, int memory_mb);

    int enis(const std::string& key) const;
    int free_ips(const std::string& key, int subnet_count) const;

  private:
    struct Worker {
        std::string function;
        std::string key;
        int used_mb = 0;
    };
    const VpcSettings& settings_;
    std::set<std::string> hyperplane_;
    std::map<std::uint64_t, Worker> workers_;
    std::uint64_t next_worker_ = 1;
};

}  // namespace lambdalab::model
