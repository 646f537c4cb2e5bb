#pragma once
// A process's memory figures from /proc/PID/status, kept open (read after every invocation).
#include <chrono>
#include <cstdint>

#include "sandbox/cgroup_files.hpp"

namespace lambdalab::sandbox {

class ProcStatus {
  public:
    ProcStatus() = default;
    explicit ProcStatus(int pid);
    // Peak resident set (VmHWM) in bytes; 0 once the process is gone.
    std::int64_t peak_rss() const { return field("VmHWM:"); }
    // The highest VmHWM seen, re-read at most once a second: a peak taken after every invocation
    // mostly reads the same figure (the runtime's own pages, loaded at INIT) and costs a system call.
    std::int64_t recent_peak_rss() const;
    // Current resident set (VmRSS) in bytes.
    std::int64_t rss() const { return field("VmRSS:"); }

  private:
    std::int64_t field(const char* name) const;
    KeptFile status_;
    mutable std::int64_t peak_ = 0;
    mutable std::chrono::steady_clock::time_point peak_read_{};
};

}  // namespace lambdalab::sandbox
