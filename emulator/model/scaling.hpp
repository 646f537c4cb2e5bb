#pragma once
// How fast a function may add sandboxes (reference/perf-model.md §4.2):
// since Nov 2023, per function, 1,000 new environments per 10 s as a token bucket refilled
// continuously (capacity 1,000, 100/s); before, an account-wide burst (3,000/1,000/500) then +500 per minute.
#include "model/clock.hpp"

namespace lambdalab::model {

struct ScalingSettings {
    enum class Model { per_function_rate, legacy_burst, unlimited };
    Model model = Model::per_function_rate;
    double bucket_capacity = 1000;
    double refill_per_second = 100;
    int legacy_burst = 3000;
    int legacy_increase_per_minute = 500;
};

// A continuously refilled token bucket that starts full.
class TokenBucket {
  public:
    TokenBucket(double capacity, double refill_per_second, Time start);
    bool try_take(Time now);
    double available(Time now);

  private:
    void refill(Time now);
    double capacity_;
    double refill_per_second_;
    double tokens_;
    Time last_;
};

// The pre-2023 model: concurrency may jump to the burst at once, then grow by a step per minute
// while demand keeps it at the ceiling. The ceiling never falls below current concurrency.
class BurstLimit {
  public:
    BurstLimit(int burst, int increase_per_minute);
    // May concurrency grow to `wanted` now? Grows the ceiling as time passes under pressure.
    bool allows(int wanted, Time now);
    int ceiling() const { return ceiling_; }

  private:
    int increase_per_minute_;
    int ceiling_;
    bool saturated_ = false;
    Time saturated_since_{};
};

}  // namespace lambdalab::model
