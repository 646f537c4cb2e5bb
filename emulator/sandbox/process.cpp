#include "sandbox/process.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
#include <csignal>
#include <cstring>
#include <map>
#include <system_error>

namespace lambdalab::sandbox {

namespace bp = boost::process::v2;

std::string ExitStatus::describe() const {
    if (!signaled) return "exit status " + std::to_string(value);
    // Go's syscall.WaitStatus wording, which Lambda's messages use.
    switch (value) {
        case SIGKILL:
            return "signal: killed";
        case SIGSEGV:
            return "signal: segmentation fault";
        case SIGABRT:
            return "signal: aborted";
        case SIGTERM:
            return "signal: terminated";
        case SIGBUS:
            return "signal: bus error";
        case SIGFPE:
            return "signal: floating point exception";
        case SIGILL:
            return "signal: illegal instruction";
        case SIGINT:
            return "signal: interrupt";
        default:
            return "signal: " + std::string(strsignal(value));
    }
}

namespace {

// mkdir -p in the child: no allocation after fork.
bool make_directories(const char* path) {
    char buffer[4096];
    const std::size_t length = std::strlen(path);
    if (length == 0 || length >= sizeof buffer) return false;
    std::memcpy(buffer, path, length + 1);
    for (std::size_t i = 1; i <= length; ++i) {
        if (buffer[i] != '/' && buffer[i] != '\0') continue;
        const char saved = buffer[i];
        buffer[i] = '\0';
        if (::mkdir(buffer, 0755) != 0 && errno != EEXIST) return false;
        buffer[i] = saved;
    }
    return true;
}

// Binds `private_tmp` at /tmp in a new mount namespace. The directories in `kept_under_tmp` (under the
// host's /tmp) are opened first and bound back at their own paths, so code under /tmp stays reachable.
bp::error_code enter_private_tmp(const ChildSetup& setup) {
    const auto failure = [] { return bp::error_code{errno, boost::system::system_category()}; };
    if (::unshare(CLONE_NEWNS) != 0) return failure();
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    int kept[ChildSetup::kMaxKeptUnderTmp];
    const std::size_t count = std::min(setup.kept_under_tmp.size(), ChildSetup::kMaxKeptUnderTmp);
    for (std::size_t i = 0; i < count; ++i) {
        kept[i] = ::open(setup.kept_under_tmp[i].c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (kept[i] < 0) return failure();
    }
    if (::mount(setup.private_tmp.c_str(), "/tmp", nullptr, MS_BIND, nullptr) != 0) return failure();
    for (std::size_t i = 0; i < count; ++i) {
        char source[40];
        std::snprintf(source, sizeof source, "/proc/self/fd/%d", kept[i]);
        const char* target = setup.kept_under_tmp[i].c_str();
        if (!make_directories(target) || ::mount(source, target, nullptr, MS_BIND | MS_REC, nullptr) != 0) {
            return failure();
        }
        ::close(kept[i]);
    }
    return {};
}

// Boost.Process initializer run in the child before exec.
struct ChildInit {
    const ChildSetup& setup;
    int parent_pid;

    template <typename Launcher>
    bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) const {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent_pid) ::_exit(127);  // the emulator died before prctl took effect
        char pid_text[24];
        const int length = std::snprintf(pid_text, sizeof pid_text, "%d", static_cast<int>(::getpid()));
        for (const auto& file : setup.cgroup_procs_files) {
            const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0) return {errno, boost::system::system_category()};
            const bool ok = ::write(fd, pid_text, static_cast<std::size_t>(length)) == length;
            ::close(fd);
            if (!ok) return {errno, boost::system::system_category()};
        }
        if (!setup.private_tmp.empty()) {
            // The sandbox's own /tmp, seen by its processes only.
            if (auto error = enter_private_tmp(setup)) return error;
        }
        if (!setup.cpus.empty()) {
            cpu_set_t set;
            CPU_ZERO(&set);
            for (const int cpu : setup.cpus) CPU_SET(cpu, &set);
            ::sched_setaffinity(0, sizeof set, &set);
        }
        return {};
    }
};

}  // namespace

namespace {
bp::process launch(boost::asio::io_context& io, const ProcessSpec& spec) {
    try {
        return bp::process(io.get_executor(), spec.executable, spec.args,
                           bp::process_stdio{nullptr, spec.output_fd, spec.output_fd},
                           bp::process_environment(spec.environment), bp::process_start_dir(spec.working_dir),
                           ChildInit{spec.child_setup, static_cast<int>(::getpid())});
    } catch (const boost::system::system_error& e) {
        // The child's exec errno (ENOENT, EACCES, ENOEXEC...) as a standard error code.
        throw std::system_error(e.code().value(), std::system_category(), spec.executable.string());
    }
}
}  // namespace

// The pidfd of a child and its exit handler. Readiness of a pidfd is only a hint: the child is reaped
// with waitid(WNOHANG) and, if it has not exited after all, waited for again.
struct Process::Watch : std::enable_shared_from_this<Process::Watch> {
    Watch(boost::asio::io_context& io, int pidfd, ExitHandler handler)
        : descriptor(io, pidfd), on_exit(std::move(handler)) {}

    void wait() {
        descriptor.async_wait(boost::asio::posix::descriptor_base::wait_read,
                              [self = shared_from_this()](boost::system::error_code ec) { self->check(ec); });
    }

    void check(boost::system::error_code ec) {
        if (ec == boost::asio::error::operation_aborted) return;
        siginfo_t info{};
        if (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(descriptor.native_handle()), &info,
                     WEXITED | WNOHANG) != 0) {
            return finish({true, SIGKILL});  // not our child any more: nothing left to wait for
        }
        if (info.si_pid == 0) return wait();  // still running: the wake-up was spurious
        finish(info.si_code == CLD_EXITED ? ExitStatus{false, info.si_status} : ExitStatus{true, info.si_status});
    }

    void finish(ExitStatus status) {
        exited = true;
        boost::system::error_code ignored;
        descriptor.close(ignored);
        if (auto handler = std::exchange(on_exit, nullptr)) handler(status);
    }

    boost::asio::posix::stream_descriptor descriptor;
    ExitHandler on_exit;  // cleared when the Process is destroyed: the watch then only reaps
    bool exited = false;
};

// Without pidfds (Linux before 5.3, or under valgrind) children are reaped on SIGCHLD instead: one
// handler per io_context, checking each watched child with waitid(WNOHANG).
class SigchldReaper final : public boost::asio::execution_context::service {
  public:
    // An Asio service: one per io_context, destroyed with it.
    using key_type = SigchldReaper;
    static inline boost::asio::execution_context::id id;

    explicit SigchldReaper(boost::asio::execution_context& context)
        : service(context), signals_(static_cast<boost::asio::io_context&>(context), SIGCHLD) {
        wait();
    }

    static SigchldReaper& of(boost::asio::io_context& io) { return boost::asio::use_service<SigchldReaper>(io); }

    void watch(int pid, Process::ExitHandler handler) {
        watched_[pid] = std::move(handler);
        reap();  // it may have exited before the handler was installed
    }
    // Keeps reaping the child but tells no one.
    void disarm(int pid) {
        if (auto it = watched_.find(pid); it != watched_.end()) it->second = nullptr;
    }

  private:
    void shutdown() override {
        boost::system::error_code ignored;
        signals_.cancel(ignored);
        watched_.clear();
    }

    void wait() {
        signals_.async_wait([this](boost::system::error_code ec, int) {
            if (ec) return;
            reap();
            wait();
        });
    }

    void reap() {
        for (auto it = watched_.begin(); it != watched_.end();) {
            siginfo_t info{};
            if (::waitid(P_PID, static_cast<id_t>(it->first), &info, WEXITED | WNOHANG) == 0 && info.si_pid == 0) {
                ++it;
                continue;
            }
            const ExitStatus status =
                info.si_code == CLD_EXITED ? ExitStatus{false, info.si_status} : ExitStatus{true, info.si_status};
            auto handler = std::move(it->second);
            it = watched_.erase(it);
            if (handler) handler(status);
        }
    }

    boost::asio::signal_set signals_;
    std::map<int, Process::ExitHandler> watched_;
};

Process::Process(boost::asio::io_context& io, const ProcessSpec& spec, ExitHandler on_exit) : io_(io) {
    bp::process child = launch(io, spec);
    pid_ = child.id();
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    // From here on we reap the child: Boost's handle would do it with a blocking wait.
    child.detach();
    auto exited = [this, handler = std::move(on_exit)](ExitStatus status) {
        running_ = false;
        handler(status);
    };
    if (pidfd < 0) {
        SigchldReaper::of(io).watch(pid_, std::move(exited));
        return;
    }
    watch_ = std::make_shared<Watch>(io, pidfd, std::move(exited));
    watch_->wait();
}

Process::~Process() {
    // The whole group: a runtime's own children must not outlive its sandbox. The watcher stays
    // behind to reap the child when it is gone, without blocking the event loop.
    kill();
    if (watch_) {
        watch_->on_exit = nullptr;
    } else {
        SigchldReaper::of(io_).disarm(pid_);
    }
}

void Process::signal_group(int signal) const {
    if (pid_ > 0) ::kill(-pid_, signal);
}

void Process::kill() const {
    signal_group(SIGKILL);
}

}  // namespace lambdalab::sandbox
