#include "sandbox/process.hpp"

#include <csignal>
#include <system_error>

#include <boost/process/v2/environment.hpp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace lambdalab::sandbox {

namespace bp = boost::process::v2;

std::string ExitStatus::describe() const {
    if (!signaled) return "exit status " + std::to_string(value);
    // Go's syscall.WaitStatus wording, which Lambda's messages use.
    switch (value) {
        case SIGKILL: return "signal: killed";
        case SIGSEGV: return "signal: segmentation fault";
        case SIGABRT: return "signal: aborted";
        case SIGTERM: return "signal: terminated";
        case SIGBUS: return "signal: bus error";
        case SIGFPE: return "signal: floating point exception";
        case SIGILL: return "signal: illegal instruction";
        case SIGINT: return "signal: interrupt";
        default: return "signal: " + std::string(strsignal(value));
    }
}

namespace {

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

struct Process::Handle {
    explicit Handle(bp::process::handle_type h) : handle(std::move(h)) {}
    bp::process::handle_type handle;
};

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

Process::Process(boost::asio::io_context& io, const ProcessSpec& spec, ExitHandler on_exit) {
    bp::process child = launch(io, spec);
    pid_ = child.id();
    // Take the pidfd-backed handle: it reaps exactly this child, and its destructor kills nothing.
    handle_ = std::make_unique<Handle>(child.detach());
    handle_->handle.async_wait([this, alive = alive_, on_exit = std::move(on_exit)](bp::error_code ec, int status) {
        if (!*alive) return;
        running_ = false;
        ExitStatus exit;
        if (ec) {
            exit = {true, SIGKILL};
        } else if (WIFSIGNALED(status)) {
            exit = {true, WTERMSIG(status)};
        } else {
            exit = {false, WEXITSTATUS(status)};
        }
        on_exit(exit);
    });
}

Process::~Process() {
    *alive_ = false;
    // The whole group: a runtime's own children must not outlive its sandbox.
    kill();
    if (running_) {
        // Reap now so no zombie is left; SIGKILL makes this prompt.
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
}

void Process::signal_group(int signal) const {
    if (pid_ > 0) ::kill(-pid_, signal);
}

void Process::kill() const { signal_group(SIGKILL); }

}  // namespace lambdalab::sandbox
