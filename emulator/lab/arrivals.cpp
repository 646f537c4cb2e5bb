#include "lab/arrivals.hpp"

#include <cmath>
#include <random>

namespace lambdalab::lab {

namespace {

struct Rate {
    double start = 0;  // arrivals per second at t = 0
    double slope = 0;  // change per second
};

Rate rate_of(const Phase& phase) {
    if (phase.pause || phase.duration_s <= 0) return {};
    if (phase.arrival_count) return {static_cast<double>(*phase.arrival_count) / phase.duration_s, 0};
    const double end = phase.ramp_to.value_or(phase.arrival_rate);
    return {phase.arrival_rate, (end - phase.arrival_rate) / phase.duration_s};
}

// The time t at which the cumulative count r0*t + slope*t^2/2 reaches s, in the form that stays exact
// when the slope is zero or tiny (and for ramps down).
double time_of(const Rate& rate, double s) {
    if (s <= 0) return 0;
    const double root = std::sqrt(std::max(0.0, rate.start * rate.start + 2 * rate.slope * s));
    const double denominator = rate.start + root;
    return denominator > 0 ? 2 * s / denominator : 0;
}

}  // namespace

double expected_arrivals(const Phase& phase) {
    const Rate rate = rate_of(phase);
    return rate.start * phase.duration_s + rate.slope * phase.duration_s * phase.duration_s / 2;
}

std::vector<double> arrival_schedule(const std::vector<Phase>& phases, ArrivalProcess process, std::uint64_t seed) {
    std::vector<double> out;
    std::mt19937_64 random(seed);
    std::exponential_distribution<double> gap(1.0);
    double phase_start_ms = 0;
    for (const auto& phase : phases) {
        const Rate rate = rate_of(phase);
        const double total = expected_arrivals(phase);
        if (phase.arrival_count && process == ArrivalProcess::uniform) {
            // Exactly arrival_count arrivals, evenly spread.
            for (long k = 0; k < *phase.arrival_count; ++k) {
                out.push_back(phase_start_ms + 1000.0 * phase.duration_s * static_cast<double>(k) /
                                                   static_cast<double>(*phase.arrival_count));
            }
        } else if (total > 0) {
            // Time rescaling: arrival k is where the cumulative rate reaches s_k, with s_k = k (uniform)
            // or a sum of unit exponential gaps (Poisson).
            double s = process == ArrivalProcess::uniform ? 0 : gap(random);
            while (s < total) {
                const double t = std::min(time_of(rate, s), phase.duration_s);
                out.push_back(phase_start_ms + 1000.0 * t);
                s += process == ArrivalProcess::uniform ? 1.0 : gap(random);
            }
        }
        phase_start_ms += 1000.0 * phase.duration_s;
    }
    return out;
}

}  // namespace lambdalab::lab
