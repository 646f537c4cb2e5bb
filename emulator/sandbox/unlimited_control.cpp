#include <csignal>
#include <fstream>
#include <string>

#include "sandbox/resource_control.hpp"

namespace lambdalab::sandbox {

namespace {

// The peak resident set of one process, from /proc/PID/status (VmHWM, in kB).
std::int64_t peak_rss_bytes(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
    }
    return 0;
}

class UnlimitedControl final : public ResourceControl {
public:
    ChildSetup child_setup() override { return {}; }
    void attach(int pid) override { pid_ = pid; }
    void set_cpu(const CpuQuota&) override {}
    void set_memory_limit(std::int64_t) override {}
    void freeze() override {
        if (pid_ > 0) ::kill(-pid_, SIGSTOP);
    }
    void thaw() override {
        if (pid_ > 0) ::kill(-pid_, SIGCONT);
    }
    std::int64_t peak_memory_bytes() const override {
        if (pid_ > 0) peak_ = std::max(peak_, peak_rss_bytes(pid_));
        return peak_;
    }
    bool memory_limit_hit() const override { return false; }
    std::string mechanism() const override { return "none"; }

private:
    int pid_ = -1;
    mutable std::int64_t peak_ = 0;
};

}  // namespace

std::unique_ptr<ResourceControl> make_unlimited_control() { return std::make_unique<UnlimitedControl>(); }

}  // namespace lambdalab::sandbox
