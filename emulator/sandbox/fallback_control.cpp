// The portable fallback, for hosts where cgroups are not writable (no root, a container):
// - CPU: CFS bandwidth control done by hand. In each period the sandbox may use `quota` of CPU time
//   (read precisely from the process's CPU clock); once it has, its process group is stopped with
//   SIGSTOP until the period ends. The check is timed for when the quota would run out. A stop always
//   lands a little late: the overrun is a debt paid back from the next periods' quota, so the long-run
//   share is exact whatever the timer latency.
// - CPUs: affinity set in the child before exec.
// - Memory: a watchdog on the leader's RSS; over the limit, the group is SIGKILLed, as the OOM killer would.
// - Freezing: SIGSTOP/SIGCONT of the process group.
// Only the sandbox's leader process is measured (its threads included); children it forks are not.
#include "sandbox/fallback_control.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstring>
#include <ctime>

#include "sandbox/proc_status.hpp"

namespace lambdalab::sandbox {

namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

constexpr milliseconds kWatchInterval{10};

std::vector<int> first_cpus(int count) {
    std::vector<int> cpus;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        for (int cpu = 0; cpu < CPU_SETSIZE && static_cast<int>(cpus.size()) < count; ++cpu) {
            if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
        }
    }
    return cpus;
}

class FallbackControl final : public ResourceControl {
  public:
    FallbackControl(boost::asio::io_context& io, std::int64_t memory_limit, const CpuQuota& cpu)
        : memory_limit_(memory_limit), quota_(cpu), period_timer_(io), check_timer_(io), watch_timer_(io) {}

    ~FallbackControl() override {
        *alive_ = false;
        if (pid_ > 0 && stopped()) ::kill(-pid_, SIGCONT);
    }

    ChildSetup child_setup() override {
        ChildSetup setup;
        if (quota_.cpus > 0) setup.cpus = first_cpus(quota_.cpus);
        return setup;
    }

    void attach(int pid) override {
        pid_ = pid;
        status_ = ProcStatus(pid);
        // Process CPU clocks are negative clockid_t values: success is told by the return code only.
        has_cpu_clock_ = ::clock_getcpuclockid(pid, &cpu_clock_) == 0;
        resume();
    }

    void set_cpu(const CpuQuota& quota) override {
        if (quota.cpus != quota_.cpus && pid_ > 0) {
            const auto cpus = first_cpus(quota.cpus > 0 ? quota.cpus : CPU_SETSIZE);
            cpu_set_t set;
            CPU_ZERO(&set);
            for (const int cpu : cpus) CPU_SET(cpu, &set);
            ::sched_setaffinity(pid_, sizeof set, &set);  // the leader's threads keep what they had
        }
        quota_ = quota;
    }

    // A frozen sandbox uses no CPU and grows no memory: its timers stop until it is thawed.
    void freeze() override {
        frozen_ = true;
        apply();
        period_timer_.cancel();
        check_timer_.cancel();
        watch_timer_.cancel();
    }
    void thaw() override {
        if (!frozen_) return;
        frozen_ = false;
        resume();
    }

    std::int64_t peak_memory_bytes() const override {
        peak_ = std::max(peak_, status_.peak_rss());
        return peak_;
    }
    bool memory_limit_hit() const override { return killed_for_memory_; }

  private:
    bool stopped() const { return frozen_ || throttled_; }

    void resume() {
        // Time frozen is not time running: the period restarts without judging the pause.
        start_period(/*settle=*/false);
        watch_memory();
    }

    // Stops or resumes the group to match frozen_ and throttled_.
    void apply() {
        if (pid_ <= 0) return;
        const bool stop = stopped();
        if (stop != signalled_stop_) {
            ::kill(-pid_, stop ? SIGSTOP : SIGCONT);
            signalled_stop_ = stop;
        }
    }

    nanoseconds cpu_used() const {
        timespec ts{};
        if (!has_cpu_clock_ || ::clock_gettime(cpu_clock_, &ts) != 0) return nanoseconds::zero();
        return std::chrono::seconds(ts.tv_sec) + nanoseconds(ts.tv_nsec);
    }

    // Opens a period; `settle` charges the one that ends against the quota first.
    void start_period(bool settle) {
        const nanoseconds now_cpu = cpu_used();
        const nanoseconds quota = microseconds(quota_.quota_us);
        if (settle && quota_.quota_us > 0) {
            // Unused quota is not banked (as in CFS); overrun is owed.
            debt_ = std::max(nanoseconds::zero(), debt_ + (now_cpu - period_start_cpu_) - quota);
        }
        allowance_ = quota - debt_;
        period_start_cpu_ = now_cpu;
        throttled_ = allowance_ <= nanoseconds::zero();
        apply();
        period_timer_.expires_after(microseconds(quota_.period_us));
        period_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
            if (!ec && *alive && !frozen_) start_period(/*settle=*/true);
        });
        schedule_check();
    }

    // Checks again when the rest of the quota would be used up at full speed on every allowed CPU.
    void schedule_check() {
        if (quota_.quota_us <= 0 || throttled_) return;
        const nanoseconds left = allowance_ - (cpu_used() - period_start_cpu_);
        if (left <= nanoseconds::zero()) {
            throttled_ = true;
            return apply();
        }
        const int cpus = std::max(1, quota_.cpus);
        check_timer_.expires_after(std::max<nanoseconds>(left / cpus, microseconds(200)));
        check_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
            if (!ec && *alive && !throttled_) schedule_check();
        });
    }

    void watch_memory() {
        if (status_.rss() > memory_limit_) {
            killed_for_memory_ = true;
            peak_ = memory_limit_;
            ::kill(-pid_, SIGKILL);
            ::kill(-pid_, SIGCONT);
            return;
        }
        watch_timer_.expires_after(kWatchInterval);
        watch_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
            if (!ec && *alive && !frozen_) watch_memory();
        });
    }

    std::int64_t memory_limit_;
    CpuQuota quota_;
    int pid_ = -1;
    clockid_t cpu_clock_{};
    bool has_cpu_clock_ = false;
    ProcStatus status_;
    boost::asio::steady_timer period_timer_;
    boost::asio::steady_timer check_timer_;
    boost::asio::steady_timer watch_timer_;
    nanoseconds period_start_cpu_{};
    nanoseconds allowance_{};  // this period's quota, less what earlier periods overran
    nanoseconds debt_{};
    bool frozen_ = false;
    bool throttled_ = false;
    bool signalled_stop_ = false;
    bool killed_for_memory_ = false;
    mutable std::int64_t peak_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

std::unique_ptr<ResourceControl> FallbackProvider::create(const std::string&, std::int64_t memory_limit_bytes,
                                                          const CpuQuota& cpu) {
    return std::make_unique<FallbackControl>(io_, memory_limit_bytes, cpu);
}

}  // namespace lambdalab::sandbox
