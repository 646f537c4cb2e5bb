// cgroup v2: one cgroup per sandbox under <own cgroup>/lambdalab-<pid> with cpu.max, memory.max,
// cpuset.cpus, cgroup.freeze and cgroup.kill. The emulator moves itself into a leaf first, because
// v2 forbids enabling controllers for children of a cgroup that holds processes.
#include "sandbox/cgroup_v2.hpp"

#include <unistd.h>

#include <csignal>
#include <sstream>
#include <stdexcept>

#include "sandbox/cgroup_files.hpp"
#include "sandbox/proc_status.hpp"

namespace lambdalab::sandbox {

namespace fs = std::filesystem;

namespace {

class CgroupV2Control final : public ResourceControl {
  public:
    CgroupV2Control(std::shared_ptr<CgroupV2Provider::Root> root, const std::string& id, std::int64_t memory_limit,
                    const CpuQuota& cpu)
        : root_(std::move(root)), dir_(root_->base / id) {
        fs::create_directory(dir_);
        set_cpu(cpu);
        write_control(dir_ / "memory.max", std::to_string(memory_limit));
        try_write_control(dir_ / "memory.swap.max", "0");
        // memory.peak arrived in Linux 5.19; before it, the peak is sampled from memory.current.
        peak_ = KeptFile(dir_ / "memory.peak");
        if (!peak_.valid()) current_ = KeptFile(dir_ / "memory.current");
    }

    ~CgroupV2Control() override {
        thaw();
        if (!try_write_control(dir_ / "cgroup.kill", "1")) {
            std::istringstream in(read_control(dir_ / "cgroup.procs").value_or(""));
            for (int pid; in >> pid;) ::kill(pid, SIGKILL);
        }
        if (!remove_cgroup_tree(dir_)) root_->pending.push_back(dir_);
    }

    ChildSetup child_setup() override { return {{(dir_ / "cgroup.procs").string()}, {}}; }
    void attach(int pid) override { leader_ = ProcStatus(pid); }

    void set_cpu(const CpuQuota& quota) override {
        write_control(dir_ / "cpu.max", (quota.quota_us > 0 ? std::to_string(quota.quota_us) : std::string("max")) +
                                            " " + std::to_string(quota.period_us));
        if (root_->cpuset) {
            std::vector<int> cpus = root_->cpus;
            if (quota.cpus > 0 && static_cast<std::size_t>(quota.cpus) < cpus.size())
                cpus.resize(static_cast<std::size_t>(quota.cpus));
            write_control(dir_ / "cpuset.cpus", cpu_list(cpus));
        }
    }

    void freeze() override { try_write_control(dir_ / "cgroup.freeze", "1"); }
    void thaw() override { try_write_control(dir_ / "cgroup.freeze", "0"); }

    // As for v1: the leader's own peak RSS counts shared pages the cgroup was not charged for.
    std::int64_t peak_memory_bytes() const override {
        sampled_peak_ = std::max(
            {sampled_peak_, leader_.recent_peak_rss(), (peak_.valid() ? peak_ : current_).read_integer().value_or(0)});
        return sampled_peak_;
    }

    bool memory_limit_hit() const override { return read_keyed(dir_ / "memory.events", "oom_kill").value_or(0) > 0; }

  private:
    std::shared_ptr<CgroupV2Provider::Root> root_;
    fs::path dir_;
    KeptFile peak_;
    KeptFile current_;
    ProcStatus leader_;
    mutable std::int64_t sampled_peak_ = 0;
};

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

CgroupV2Provider::Root::~Root() {
    for (const auto& dir : pending) remove_cgroup_tree(dir);
    // The emulator itself sits in base/emulator; it can only be removed once the emulator leaves it,
    // which it does not: a stale directory is removed by the next emulator (remove_stale_cgroups).
    remove_cgroup_tree(base);
}

void CgroupV2Provider::Root::retry_pending() {
    std::vector<fs::path> still;
    for (const auto& dir : pending) {
        if (!remove_cgroup_tree(dir)) still.push_back(dir);
    }
    pending = std::move(still);
}

std::unique_ptr<CgroupV2Provider> CgroupV2Provider::open(std::string& why_not) {
    const CgroupMount* v2 = nullptr;
    const auto mounts = cgroup_mounts();
    for (const auto& mount : mounts) {
        if (mount.v2) v2 = &mount;
    }
    const auto own = own_cgroup("");
    if (!v2 || !own) {
        why_not = "no cgroup v2 hierarchy";
        return nullptr;
    }
    const fs::path parent = v2->mount_point / fs::path(*own).relative_path();
    const auto available = words(read_control(parent / "cgroup.controllers").value_or(""));
    if (!has(available, "cpu") || !has(available, "memory")) {
        why_not = "cgroup v2 at " + parent.string() + " offers no cpu and memory controllers";
        return nullptr;
    }
    auto root = std::make_shared<Root>();
    remove_stale_cgroups(parent);
    root->base = parent / ("lambdalab-" + std::to_string(::getpid()));
    root->cpuset = has(available, "cpuset");
    root->cpus = parse_cpu_list(read_control(parent / "cpuset.cpus.effective").value_or(""));
    try {
        fs::create_directory(root->base);
        fs::create_directory(root->base / "emulator");
        const std::string enable = std::string("+cpu +memory") + (root->cpuset ? " +cpuset" : "");
        // A non-root parent may hold only child cgroups when it delegates controllers: move into a leaf.
        if (parent != v2->mount_point)
            write_control(root->base / "emulator" / "cgroup.procs", std::to_string(::getpid()));
        write_control(parent / "cgroup.subtree_control", enable);
        write_control(root->base / "cgroup.subtree_control", enable);
        CgroupV2Control probe(root, "probe", 64 << 20, CpuQuota{1000, 20000, 1});
    } catch (const std::exception& e) {
        why_not = e.what();
        return nullptr;
    }
    return std::unique_ptr<CgroupV2Provider>(new CgroupV2Provider(std::move(root)));
}

std::unique_ptr<ResourceControl> CgroupV2Provider::create(const std::string& sandbox_id,
                                                          std::int64_t memory_limit_bytes, const CpuQuota& cpu) {
    root_->retry_pending();
    return std::make_unique<CgroupV2Control>(root_, sandbox_id, memory_limit_bytes, cpu);
}

}  // namespace lambdalab::sandbox
