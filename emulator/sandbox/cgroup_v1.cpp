// cgroup v1: one directory per sandbox in each of the cpu, cpuset, memory and freezer hierarchies,
// nested under this emulator's own cgroups (lambdalab-<pid>), so a delegated subtree is enough.
#include "sandbox/cgroup_v1.hpp"

#include <csignal>
#include <sstream>
#include <stdexcept>

#include "sandbox/cgroup_files.hpp"
#include "sandbox/proc_status.hpp"

namespace lambdalab::sandbox {

namespace fs = std::filesystem;

namespace {

constexpr const char* kControllers[] = {"cpu", "cpuset", "memory", "freezer"};

// The sandbox's processes, from its memory cgroup (children that left the process group included).
std::vector<int> member_pids(const fs::path& memory_dir) {
    std::vector<int> pids;
    std::istringstream in(read_control(memory_dir / "cgroup.procs").value_or(""));
    for (int pid; in >> pid;) pids.push_back(pid);
    return pids;
}

class CgroupV1Control final : public ResourceControl {
  public:
    CgroupV1Control(std::shared_ptr<CgroupV1Provider::Roots> roots, std::string id, std::int64_t memory_limit,
                    const CpuQuota& cpu)
        : roots_(std::move(roots)) {
        for (const auto& [controller, base] : roots_->bases) dirs_[controller] = base / id;
        for (const auto& [controller, dir] : dirs_) fs::create_directory(dir);
        // cpuset: a new cgroup has no CPUs and no memory nodes until told.
        write_control(dirs_.at("cpuset") / "cpuset.mems", roots_->mems);
        set_cpu(cpu);
        write_control(dirs_.at("memory") / "memory.limit_in_bytes", std::to_string(memory_limit));
        // The kernel OOM killer acts inside the sandbox only, like Lambda's.
        try_write_control(dirs_.at("memory") / "memory.swappiness", "0");
        peak_ = KeptFile(dirs_.at("memory") / "memory.max_usage_in_bytes");
    }

    ~CgroupV1Control() override {
        thaw();
        for (const int pid : member_pids(dirs_.at("memory"))) ::kill(pid, SIGKILL);
        for (const auto& [controller, dir] : dirs_) {
            if (!remove_cgroup_tree(dir)) roots_->pending.push_back(dir);  // busy until the processes are reaped
        }
    }

    ChildSetup child_setup() override {
        ChildSetup setup;
        for (const auto& [controller, dir] : dirs_) setup.cgroup_procs_files.push_back((dir / "cgroup.procs").string());
        return setup;
    }

    void attach(int pid) override { leader_ = ProcStatus(pid); }

    void set_cpu(const CpuQuota& quota) override {
        const fs::path& cpu = dirs_.at("cpu");
        // Period first: the kernel checks quota against it.
        write_control(cpu / "cpu.cfs_period_us", std::to_string(quota.period_us));
        write_control(cpu / "cpu.cfs_quota_us", quota.quota_us > 0 ? std::to_string(quota.quota_us) : "-1");
        std::vector<int> cpus = roots_->cpus;
        if (quota.cpus > 0 && static_cast<std::size_t>(quota.cpus) < cpus.size())
            cpus.resize(static_cast<std::size_t>(quota.cpus));
        write_control(dirs_.at("cpuset") / "cpuset.cpus", cpu_list(cpus));
    }

    void freeze() override { try_write_control(dirs_.at("freezer") / "freezer.state", "FROZEN"); }
    void thaw() override { try_write_control(dirs_.at("freezer") / "freezer.state", "THAWED"); }

    // The cgroup's peak misses shared pages another cgroup faulted in first (the runtime's binary and
    // libraries); Lambda's microVM counts them. The leader's own peak RSS does.
    std::int64_t peak_memory_bytes() const override {
        return std::max(peak_.read_integer().value_or(0), leader_.recent_peak_rss());
    }

    bool memory_limit_hit() const override {
        return read_keyed(dirs_.at("memory") / "memory.oom_control", "oom_kill").value_or(0) > 0;
    }

  private:
    std::shared_ptr<CgroupV1Provider::Roots> roots_;
    std::map<std::string, fs::path> dirs_;
    KeptFile peak_;
    ProcStatus leader_;
};

}  // namespace

CgroupV1Provider::Roots::~Roots() {
    for (const auto& dir : pending) remove_cgroup_tree(dir);
    for (const auto& [controller, base] : bases) remove_cgroup_tree(base);
}

void CgroupV1Provider::Roots::retry_pending() {
    std::vector<fs::path> still;
    for (const auto& dir : pending) {
        if (!remove_cgroup_tree(dir)) still.push_back(dir);
    }
    pending = std::move(still);
}

std::unique_ptr<CgroupV1Provider> CgroupV1Provider::open(std::string& why_not) {
    auto roots = std::make_shared<Roots>();
    const auto mounts = cgroup_mounts();
    for (const char* controller : kControllers) {
        const CgroupMount* found = nullptr;
        for (const auto& mount : mounts) {
            if (!mount.v2 &&
                std::find(mount.controllers.begin(), mount.controllers.end(), controller) != mount.controllers.end()) {
                found = &mount;
            }
        }
        const auto own = own_cgroup(controller);
        if (!found || !own) {
            why_not = std::string("no cgroup v1 ") + controller + " hierarchy";
            return nullptr;
        }
        const fs::path parent = found->mount_point / fs::path(*own).relative_path();
        remove_stale_cgroups(parent);
        const fs::path base = parent / ("lambdalab-" + std::to_string(::getpid()));
        std::error_code ec;
        fs::create_directory(base, ec);
        if (ec) {
            why_not = "cannot create " + base.string() + ": " + ec.message();
            return nullptr;
        }
        roots->bases[controller] = base;
    }
    try {
        // The emulator's cpuset cgroup starts empty too: give it the parent's CPUs and memory nodes.
        const fs::path cpuset_parent = roots->bases["cpuset"].parent_path();
        roots->mems = read_control(cpuset_parent / "cpuset.effective_mems").value_or("0");
        roots->cpus = parse_cpu_list(read_control(cpuset_parent / "cpuset.effective_cpus").value_or("0"));
        while (!roots->mems.empty() && roots->mems.back() == '\n') roots->mems.pop_back();
        write_control(roots->bases["cpuset"] / "cpuset.cpus", cpu_list(roots->cpus));
        write_control(roots->bases["cpuset"] / "cpuset.mems", roots->mems);
        // Probe every file a sandbox needs, once, so a restricted host falls back at start-up.
        CgroupV1Control probe(roots, "probe", 64 << 20, CpuQuota{1000, 20000, 1});
        (void)probe.peak_memory_bytes();
    } catch (const std::exception& e) {
        why_not = e.what();
        return nullptr;
    }
    roots->retry_pending();
    return std::unique_ptr<CgroupV1Provider>(new CgroupV1Provider(std::move(roots)));
}

std::string CgroupV1Provider::describe() const {
    std::string where;
    for (const auto& [controller, base] : roots_->bases) where += (where.empty() ? "" : ", ") + base.string();
    return "cgroup-v1 (" + where + ")";
}

std::unique_ptr<ResourceControl> CgroupV1Provider::create(const std::string& sandbox_id,
                                                          std::int64_t memory_limit_bytes, const CpuQuota& cpu) {
    roots_->retry_pending();
    return std::make_unique<CgroupV1Control>(roots_, sandbox_id, memory_limit_bytes, cpu);
}

int CgroupV1Provider::host_cpus() const {
    return static_cast<int>(roots_->cpus.size());
}

}  // namespace lambdalab::sandbox
