#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/resource_control.hpp"

namespace lambdalab::sandbox {

class CgroupV1Provider final : public ResourceProvider {
  public:
    // The emulator's own cgroups, shared with every sandbox's control (they outlive the provider if
    // a sandbox does, and clean up busy directories later).
    struct Roots {
        ~Roots();
        void retry_pending();
        std::map<std::string, std::filesystem::path> bases;  // controller -> .../lambdalab-<pid>
        std::vector<int> cpus;                               // the CPUs the emulator may use
        std::string mems;
        std::vector<std::filesystem::path> pending;  // sandbox cgroups not yet empty
    };

    // nullptr (and why) when the host has no writable cpu, cpuset, memory and freezer hierarchies.
    static std::unique_ptr<CgroupV1Provider> open(std::string& why_not);

    std::string mechanism() const override { return "cgroup-v1"; }
    std::string describe() const override;
    std::unique_ptr<ResourceControl> create(const std::string& sandbox_id, std::int64_t memory_limit_bytes,
                                            const CpuQuota& cpu) override;
    int host_cpus() const;

  private:
    explicit CgroupV1Provider(std::shared_ptr<Roots> roots) : roots_(std::move(roots)) {}
    std::shared_ptr<Roots> roots_;
};

}  // namespace lambdalab::sandbox
