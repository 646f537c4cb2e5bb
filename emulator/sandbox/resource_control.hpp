#pragma once
// How a sandbox's CPU share, memory limit and freezing are enforced on its process tree.
// Implementations: cgroup v2, cgroup v1, and a portable fallback for hosts without write access.
#include <cstdint>
#include <memory>
#include <string>

#include "sandbox/process.hpp"

namespace lambdalab::sandbox {

struct CpuQuota {
    long quota_us = 0;   // per period; 0 = unlimited
    long period_us = 100000;
    int cpus = 0;        // cores to expose; 0 = all
};

class ResourceControl {
public:
    virtual ~ResourceControl() = default;
    // How the child joins its controls before exec (cgroup.procs files, CPU affinity).
    virtual ChildSetup child_setup() = 0;
    // The process exists (pid is the group leader).
    virtual void attach(int pid) = 0;
    virtual void set_cpu(const CpuQuota& quota) = 0;
    virtual void set_memory_limit(std::int64_t bytes) = 0;
    virtual void freeze() = 0;
    virtual void thaw() = 0;
    // Peak memory of the sandbox's processes so far, in bytes.
    virtual std::int64_t peak_memory_bytes() const = 0;
    // The memory limit killed the sandbox.
    virtual bool memory_limit_hit() const = 0;
    // "cgroup-v2", "cgroup-v1" or "fallback": stored with every invocation.
    virtual std::string mechanism() const = 0;
};

// No limits at all: only measures peak memory (the leader's VmHWM) and freezes with SIGSTOP.
std::unique_ptr<ResourceControl> make_unlimited_control();

}  // namespace lambdalab::sandbox
