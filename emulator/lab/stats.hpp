#pragma once
// Descriptive statistics of a variant's samples (pure): percentiles, summaries, and Power Tuning's
// trimmed mean (reference/perf-model.md §2.3).
#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

namespace lambdalab::lab {

// The p-th percentile (0 <= p <= 1) of ascending values, interpolating linearly between the closest
// ranks (numpy's default), so p50 of {1, 2} is 1.5. 0 for no values.
double percentile_sorted(const std::vector<double>& sorted, double p);

struct Summary {
    std::size_t count = 0;
    double mean = 0;
    double min = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
};

Summary summarize(std::vector<double> values);
// {"count", "mean", "min", "p50", "p90", "p99", "max"}; only {"count": 0} when empty.
nlohmann::json to_json(const Summary& summary);

// Power Tuning's computeAverageDuration: sorts, drops trunc(n * discard) of the lowest and as many of
// the highest values, and averages the rest. `discard` is used as given (callers clamp it to [0, 0.4]).
// 0 for no values.
double trimmed_mean(std::vector<double> values, double discard);

}  // namespace lambdalab::lab
