#pragma once
// A sandbox's process: spawned (Boost.Process v2) as the leader of its own process group, so the
// whole tree can be signalled, frozen or killed at once, with stdout and stderr on one pipe, and
// watched for exit through a pidfd, never by a blocking wait on the event loop. The process dies
// with the emulator (PR_SET_PDEATHSIG).
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lambdalab::sandbox {

struct ExitStatus {
    bool signaled = false;
    int value = 0;  // exit code, or signal number
    // Lambda's wording: "exit status 42", "signal: killed".
    std::string describe() const;
};

// What to do in the child between fork and exec (it runs in the child: async-signal-safe calls only).
struct ChildSetup {
    std::vector<std::string> cgroup_procs_files;  // cgroup.procs / tasks files to join
    std::vector<int> cpus;                        // CPU affinity; empty leaves it alone
    std::string private_tmp;                      // bound at /tmp in a private mount namespace; empty: none
    // Host directories under /tmp that the sandbox still needs (its code, the runtimes when the project
    // lives under /tmp): bound again at the same paths inside its private /tmp. At most kMaxKeptUnderTmp.
    std::vector<std::string> kept_under_tmp;
    static constexpr std::size_t kMaxKeptUnderTmp = 4;
};

struct ProcessSpec {
    std::filesystem::path executable;
    std::vector<std::string> args;
    std::vector<std::string> environment;  // KEY=VALUE
    std::filesystem::path working_dir;
    int output_fd = -1;  // stdout and stderr; stdin is /dev/null
    ChildSetup child_setup;
};

class Process {
  public:
    using ExitHandler = std::function<void(ExitStatus)>;

    // Spawns. Throws std::system_error when the executable cannot be started (ENOENT, EACCES, ENOEXEC...).
    Process(boost::asio::io_context& io, const ProcessSpec& spec, ExitHandler on_exit);
    ~Process();  // kills the group if it still runs
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    int pid() const { return pid_; }
    bool running() const { return running_; }
    // Signals every process of the group.
    void signal_group(int signal) const;
    void kill() const;

  private:
    struct Watch;
    boost::asio::io_context& io_;
    int pid_ = -1;
    bool running_ = true;
    std::shared_ptr<Watch> watch_;  // the pidfd; outlives this object until the child is reaped
};

}  // namespace lambdalab::sandbox
