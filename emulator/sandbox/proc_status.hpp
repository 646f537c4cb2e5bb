#pragma once
// A process's memory figures from /proc/PID/status, kept open (read after every invocation).
#include <cstdint>

#include "sandbox/cgroup_files.hpp"

namespace lambdalab::sandbox {

class ProcStatus {
public:
    ProcStatus() = default;
    explicit ProcStatus(int pid);
    // Peak resident set (VmHWM) in bytes; 0 once the process is gone.
    std::int64_t peak_rss() const { return field("VmHWM:"); }
    // Current resident set (VmRSS) in bytes.
    std::int64_t rss() const { return field("VmRSS:"); }

private:
    std::int64_t field(const char* name) const;
    KeptFile status_;
};

}  // namespace lambdalab::sandbox
