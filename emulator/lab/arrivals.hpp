#pragma once
// Open-loop load: when each invocation is sent, decided in advance from Artillery-style phases, so
// a slow function cannot slow the arrivals down (a closed loop would). Pure logic.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lambdalab::lab {

struct Phase {
    std::string name;
    double duration_s = 0;
    double arrival_rate = 0;            // arrivals per second at the start of the phase
    std::optional<double> ramp_to;      // ... growing (or shrinking) linearly to this by its end
    std::optional<long> arrival_count;  // instead of a rate: this many, evenly over the phase
    bool pause = false;                 // no arrivals for duration_s
};

enum class ArrivalProcess {
    uniform,  // evenly spaced at the phase's (instantaneous) rate; the first at the phase's start
    poisson,  // exponential gaps at that rate (a non-homogeneous Poisson process when ramping)
};

// Expected arrivals of a phase: the integral of its rate over its duration.
double expected_arrivals(const Phase& phase);

// Offsets in milliseconds from the start of the load, ascending. Deterministic for a seed.
std::vector<double> arrival_schedule(const std::vector<Phase>& phases, ArrivalProcess process, std::uint64_t seed);

}  // namespace lambdalab::lab
