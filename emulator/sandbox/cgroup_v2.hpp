#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "sandbox/resource_control.hpp"

namespace lambdalab::sandbox {

class CgroupV2Provider final : public ResourceProvider {
  public:
    struct Root {
        ~Root();
        void retry_pending();
        std::filesystem::path base;  // <own cgroup>/lambdalab-<pid>, with cpu and memory (and cpuset) delegated
        bool cpuset = false;
        std::vector<int> cpus;
        std::vector<std::filesystem::path> pending;
    };

    // nullptr (and why) when there is no cgroup v2 hierarchy with cpu and memory this process may delegate.
    static std::unique_ptr<CgroupV2Provider> open(std::string& why_not);

    std::string mechanism() const override { return "cgroup-v2"; }
    std::string describe() const override { return "cgroup-v2 (" + root_->base.string() + ")"; }
    std::unique_ptr<ResourceControl> create(const std::string& sandbox_id, std::int64_t memory_limit_bytes,
                                            const CpuQuota& cpu) override;

  private:
    explicit CgroupV2Provider(std::shared_ptr<Root> root) : root_(std::move(root)) {}
    std::shared_ptr<Root> root_;
};

}  // namespace lambdalab::sandbox
