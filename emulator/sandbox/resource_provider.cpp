#include <sched.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <stdexcept>

#include "sandbox/cgroup_files.hpp"
#include "sandbox/cgroup_v1.hpp"
#include "sandbox/cgroup_v2.hpp"
#include "sandbox/fallback_control.hpp"
#include "sandbox/proc_status.hpp"

namespace lambdalab::sandbox {

namespace {

// No limits: measures peak memory from the leader's VmHWM and freezes with SIGSTOP, nothing more.
class MeasuringControl final : public ResourceControl {
  public:
    ChildSetup child_setup() override { return {}; }
    void attach(int pid) override {
        pid_ = pid;
        status_ = ProcStatus(pid);
    }
    void set_cpu(const CpuQuota&) override {}
    void freeze() override {
        if (pid_ > 0) ::kill(-pid_, SIGSTOP);
    }
    void thaw() override {
        if (pid_ > 0) ::kill(-pid_, SIGCONT);
    }
    std::int64_t peak_memory_bytes() const override {
        peak_ = std::max(peak_, status_.peak_rss());
        return peak_;
    }
    bool memory_limit_hit() const override { return false; }

  private:
    int pid_ = -1;
    ProcStatus status_;
    mutable std::int64_t peak_ = 0;  // the process's VmHWM is gone once it exits
};

class NoneProvider final : public ResourceProvider {
  public:
    std::string mechanism() const override { return "none"; }
    std::string describe() const override { return "none (no CPU or memory limits; measuring only)"; }
    std::unique_ptr<ResourceControl> create(const std::string&, std::int64_t, const CpuQuota&) override {
        return std::make_unique<MeasuringControl>();
    }
};

}  // namespace

Mechanism parse_mechanism(const std::string& name) {
    if (name == "auto") return Mechanism::automatic;
    if (name == "cgroup-v2") return Mechanism::cgroup_v2;
    if (name == "cgroup-v1") return Mechanism::cgroup_v1;
    if (name == "fallback") return Mechanism::fallback;
    if (name == "none") return Mechanism::none;
    throw std::invalid_argument("unknown resource control '" + name + "' (auto, cgroup-v2, cgroup-v1, fallback, none)");
}

int host_cores() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
    return std::max(1, CPU_COUNT(&set));
}

std::unique_ptr<ResourceProvider> make_resource_provider(boost::asio::io_context& io, Mechanism preference) {
    std::string why_v2;
    std::string why_v1;
    if (preference == Mechanism::automatic || preference == Mechanism::cgroup_v2) {
        if (auto v2 = CgroupV2Provider::open(why_v2)) return v2;
        if (preference == Mechanism::cgroup_v2) throw std::runtime_error("cgroup v2 is not usable: " + why_v2);
    }
    if (preference == Mechanism::automatic || preference == Mechanism::cgroup_v1) {
        if (auto v1 = CgroupV1Provider::open(why_v1)) return v1;
        if (preference == Mechanism::cgroup_v1) throw std::runtime_error("cgroup v1 is not usable: " + why_v1);
    }
    if (preference == Mechanism::none) return std::make_unique<NoneProvider>();
    if (preference == Mechanism::automatic) {
        std::fprintf(stderr, "lambdalab: no writable cgroups (%s; %s): using the portable fallback\n", why_v2.c_str(),
                     why_v1.c_str());
    }
    return std::make_unique<FallbackProvider>(io);
}

}  // namespace lambdalab::sandbox
