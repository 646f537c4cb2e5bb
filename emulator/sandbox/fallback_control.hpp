#pragma once
#include "sandbox/resource_control.hpp"

namespace lambdalab::sandbox {

class FallbackProvider final : public ResourceProvider {
  public:
    explicit FallbackProvider(boost::asio::io_context& io) : io_(io) {}
    std::string mechanism() const override { return "fallback"; }
    std::string describe() const override {
        return "fallback (CPU time throttled with SIGSTOP/SIGCONT, RSS watchdog, affinity; no cgroups)";
    }
    std::unique_ptr<ResourceControl> create(const std::string& sandbox_id, std::int64_t memory_limit_bytes,
                                            const CpuQuota& cpu) override;

  private:
    boost::asio::io_context& io_;
};

}  // namespace lambdalab::sandbox
