#include "lab/stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lambdalab::lab {

double percentile_sorted(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const double rank = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
    const auto low = static_cast<std::size_t>(std::floor(rank));
    const std::size_t high = std::min(low + 1, sorted.size() - 1);
    const double fraction = rank - static_cast<double>(low);
    return sorted[low] + (sorted[high] - sorted[low]) * fraction;
}

Summary summarize(std::vector<double> values) {
    Summary s;
    s.count = values.size();
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    s.min = values.front();
    s.max = values.back();
    s.p50 = percentile_sorted(values, 0.50);
    s.p90 = percentile_sorted(values, 0.90);
    s.p99 = percentile_sorted(values, 0.99);
    return s;
}

nlohmann::json to_json(const Summary& s) {
    if (s.count == 0) return {{"count", 0}};
    return {{"count", s.count}, {"mean", s.mean}, {"min", s.min}, {"p50", s.p50},
            {"p90", s.p90},     {"p99", s.p99},   {"max", s.max}};
}

double trimmed_mean(std::vector<double> values, double discard) {
    if (values.empty()) return 0;
    // parseInt(n * discard): truncation of the same double product JavaScript computes.
    const auto drop = static_cast<std::size_t>(static_cast<double>(values.size()) * discard);
    std::sort(values.begin(), values.end());
    if (2 * drop >= values.size()) return 0;
    const double sum = std::accumulate(values.begin() + static_cast<std::ptrdiff_t>(drop),
                                       values.end() - static_cast<std::ptrdiff_t>(drop), 0.0);
    return sum / static_cast<double>(values.size() - 2 * drop);
}

}  // namespace lambdalab::lab
