#pragma once
// A suite's headline: one sentence with figures from the run, written as a template, e.g.
//   "primes-cpp: 128 MB is {ratio:128:1769:pt_duration}x slower than 1769 MB; cheapest {cheapest:primes-cpp} MB"
// Placeholders:
//   {VARIANT:METRIC}          a variant's statistic (metric names below)
//   {ratio:A:B:METRIC}        METRIC of variant A divided by that of variant B
//   {diff:A:B:METRIC}         METRIC of A minus that of B
//   {cheapest:FUNCTION}       Power Tuning's cost-strategy choice (MB) for a tuned function
//   {fastest:FUNCTION}        its speed-strategy choice
//   {power:FUNCTION}          the choice of the suite's own strategy
// Metrics: count, errors, throttles, cold, cold_pct, mean, p50, p90, p99, max, warm_mean, warm_p50,
// cold_mean, cold_p50, init_mean, init_p50, client_mean, client_p50, client_p99, cost, cost_per_million,
// pt_duration, pt_cost, rate (measured invocations per second of load), resp.FIELD (mean of a numeric
// field of the kept responses; size for objects).
// Figures that do not exist (a skipped variant) print as "n/a". Pure logic over the run's JSON.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::lab {

// Throws std::invalid_argument naming the first bad placeholder.
void check_headline(std::string_view text, const std::vector<std::string>& variants,
                    const std::vector<std::string>& functions);

// `run` is the run's JSON (lab/run_store.hpp: variants with stats and result, result.powerTuning).
std::string render_headline(std::string_view text, const nlohmann::json& run);

// One metric of a variant's JSON; nullopt when it has no such figure.
std::optional<double> variant_metric(const nlohmann::json& variant, std::string_view metric);

bool is_known_metric(std::string_view metric);

// Figures as the lab prints them: ms with 3 significant digits at most two decimals, ratios with one
// decimal, dollars in scientific notation.
std::string format_ms(double ms);
std::string format_ratio(double ratio);
std::string format_usd(double usd);

}  // namespace lambdalab::lab
