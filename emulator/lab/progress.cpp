#include "lab/progress.hpp"

#include <chrono>
#include <cmath>

namespace lambdalab::lab {

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const auto total = static_cast<long long>(std::llround(seconds));
    char text[32];
    if (total >= 3600)
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60, total % 60);
    else
        std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
    return text;
}

std::string format_progress(const ProgressState& s) {
    const double rate = s.elapsed_s > 0 ? static_cast<double>(s.done) / s.elapsed_s : 0;
    char text[256];
    std::snprintf(text, sizeof text, "%s%ld/%ld | %ld throttled | %ld %s | %ld in flight | %.1f/s | ETA %s",
                  s.label.empty() ? "" : ("[" + s.label + "] ").c_str(), s.done, s.total, s.throttles, s.errors,
                  s.errors == 1 ? "error" : "errors", s.in_flight, rate,
                  rate > 0 ? format_duration(static_cast<double>(std::max(0L, s.total - s.done)) / rate).c_str() : "?");
    return text;
}

namespace {
double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ProgressPrinter::ProgressPrinter(std::FILE* out, bool tty, double interval_s)
    : out_(out), tty_(tty), interval_s_(interval_s) {}

void ProgressPrinter::update(const ProgressState& state, bool force) {
    const double now = now_s();
    if (!tty_ && !force && now - last_printed_ < interval_s_) return;
    last_printed_ = now;
    if (tty_) {
        std::fprintf(out_, "\r%s\x1b[K", format_progress(state).c_str());
        line_open_ = true;
    } else {
        std::fprintf(out_, "%s\n", format_progress(state).c_str());
    }
    std::fflush(out_);
}

void ProgressPrinter::message(const std::string& text) {
    if (line_open_) std::fprintf(out_, "\r\x1b[K");
    line_open_ = false;
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
}

void ProgressPrinter::done() {
    if (line_open_) std::fprintf(out_, "\n");
    line_open_ = false;
    std::fflush(out_);
}

}  // namespace lambdalab::lab
