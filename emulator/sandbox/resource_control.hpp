#pragma once
// How a sandbox's CPU share, memory limit and freezing are enforced on its process tree.
// One ResourceProvider per emulator chooses the mechanism: cgroup v2, cgroup v1, or a portable
// fallback for hosts without write access (CPU-time throttling with SIGSTOP/SIGCONT, an RSS
// watchdog, affinity); "none" measures without limiting. It makes one ResourceControl per sandbox.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "sandbox/process.hpp"

namespace lambdalab::sandbox {

struct CpuQuota {
    long quota_us = 0;  // CPU time per period; 0 = unlimited
    long period_us = 100000;
    int cpus = 0;  // cores the sandbox may run on (and sees); 0 = all
};

class ResourceControl {
  public:
    virtual ~ResourceControl() = default;
    // How the child joins its controls before exec (cgroup.procs files, CPU affinity).
    virtual ChildSetup child_setup() = 0;
    // The process exists; `pid` leads the sandbox's process group.
    virtual void attach(int pid) = 0;
    virtual void set_cpu(const CpuQuota& quota) = 0;
    virtual void freeze() = 0;
    virtual void thaw() = 0;
    // Peak memory of the sandbox's processes so far, in bytes (Max Memory Used).
    virtual std::int64_t peak_memory_bytes() const = 0;
    // The memory limit killed the sandbox.
    virtual bool memory_limit_hit() const = 0;
};

enum class Mechanism { automatic, cgroup_v2, cgroup_v1, fallback, none };
Mechanism parse_mechanism(const std::string& name);  // throws std::invalid_argument

class ResourceProvider {
  public:
    virtual ~ResourceProvider() = default;
    // "cgroup-v2", "cgroup-v1", "fallback" or "none": stored with every invocation.
    virtual std::string mechanism() const = 0;
    // One line for the start-up banner: the mechanism and where it acts.
    virtual std::string describe() const = 0;
    // Controls for a new sandbox, limits in place before its process starts.
    virtual std::unique_ptr<ResourceControl> create(const std::string& sandbox_id, std::int64_t memory_limit_bytes,
                                                    const CpuQuota& cpu) = 0;
};

// The best mechanism the host allows (or the one asked for; throws std::runtime_error if it is
// not available).
std::unique_ptr<ResourceProvider> make_resource_provider(boost::asio::io_context& io, Mechanism preference);

// Host cores available to this process (its affinity mask).
int host_cores();

}  // namespace lambdalab::sandbox
