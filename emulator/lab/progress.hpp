#pragma once
// The runner's progress line: "[2/6 512] 37/300 | 0 throttled | 1 error | 41.2/s | ETA 0:06",
// rewritten in place (\r) on a terminal, printed as plain lines every few seconds otherwise.
#include <cstdio>
#include <string>

namespace lambdalab::lab {

struct ProgressState {
    std::string label;  // e.g. "2/6 512" (variant position and name)
    long done = 0;      // measured invocations completed, over the whole run
    long total = 0;     // planned measured invocations
    long throttles = 0;
    long errors = 0;  // function errors, other service errors and network failures
    long in_flight = 0;
    double elapsed_s = 0;  // measuring time so far
};

// Pure: the text of the line (no \r). The rate is done / elapsed; the ETA is the rest at that rate.
std::string format_progress(const ProgressState& state);
// "1:05", "0:07", "2:03:00"
std::string format_duration(double seconds);

class ProgressPrinter {
  public:
    // tty: rewrite one line; otherwise a plain line at most every `interval_s`.
    ProgressPrinter(std::FILE* out, bool tty, double interval_s = 5);
    void update(const ProgressState& state, bool force = false);
    // Prints a message on its own line (clearing the progress line first).
    void message(const std::string& text);
    // Ends the progress line.
    void done();

  private:
    std::FILE* out_;
    bool tty_;
    double interval_s_;
    double last_printed_ = -1e9;
    bool line_open_ = false;
};

}  // namespace lambdalab::lab
