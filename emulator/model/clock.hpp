#pragma once
// The model's only notion of time: an injected clock, so every rule runs under a fake clock in tests
// and under virtual time in a simulation. No sleeping, no I/O.
#include <chrono>

namespace lambdalab::model {

using Duration = std::chrono::nanoseconds;
using Time = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Time now() const = 0;
};

// The host's monotonic clock.
class SteadyClock final : public Clock {
  public:
    Time now() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when told to (tests, virtual-time simulation).
class ManualClock final : public Clock {
  public:
    explicit ManualClock(Time start = Time{}) : now_(start) {}
    Time now() const override { return now_; }
    void advance(Duration d) { now_ += d; }
    void set(Time t) { now_ = t; }

  private:
    Time now_;
};

inline double to_ms(Duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}
inline Duration from_ms(double ms) {
    return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace lambdalab::model
