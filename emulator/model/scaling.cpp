#include "model/scaling.hpp"

#include <algorithm>

namespace lambdalab::model {

TokenBucket::TokenBucket(double capacity, double refill_per_second, Time start)
    : capacity_(capacity), refill_per_second_(refill_per_second), tokens_(capacity), last_(start) {}

void TokenBucket::refill(Time now) {
    if (now <= last_) return;
    const double seconds = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + seconds * refill_per_second_);
    last_ = now;
}

bool TokenBucket::try_take(Time now) {
    refill(now);
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
}

double TokenBucket::available(Time now) {
    refill(now);
    return tokens_;
}

BurstLimit::BurstLimit(int burst, int increase_per_minute)
    : increase_per_minute_(increase_per_minute), ceiling_(burst) {}

bool BurstLimit::allows(int wanted, Time now) {
    if (saturated_) {
        const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now - saturated_since_).count();
        if (minutes > 0) {
            ceiling_ += static_cast<int>(minutes) * increase_per_minute_;
            saturated_since_ += std::chrono::minutes(minutes);
        }
    }
    if (wanted <= ceiling_) return true;
    if (!saturated_) {
        saturated_ = true;
        saturated_since_ = now;
    }
    return false;
}

}  // namespace lambdalab::model
