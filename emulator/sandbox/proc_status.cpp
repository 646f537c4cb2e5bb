#include "sandbox/proc_status.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace lambdalab::sandbox {

ProcStatus::ProcStatus(int pid) : status_("/proc/" + std::to_string(pid) + "/status") {}

std::int64_t ProcStatus::recent_peak_rss() const {
    const auto now = std::chrono::steady_clock::now();
    if (peak_ == 0 || now - peak_read_ >= std::chrono::seconds(1)) {
        peak_ = std::max(peak_, peak_rss());
        peak_read_ = now;
    }
    return peak_;
}

std::int64_t ProcStatus::field(const char* name) const {
    const std::string text = status_.read();
    const auto pos = text.find(name);
    return pos == std::string::npos ? 0 : std::strtoll(text.c_str() + pos + std::strlen(name), nullptr, 10) * 1024;
}

}  // namespace lambdalab::sandbox
