#pragma once
// How `lambdalab runs` and `lambdalab report` print runs: text tables, CSV and comparisons, all
// from a run's JSON (lab/run_store.hpp, the same JSON GET /api/runs/{id} answers). Pure logic.
#include <nlohmann/json.hpp>
#include <string>

namespace lambdalab::lab {

// Per variant: count, errors, throttles, cold starts, p50/p90/p99/max Duration, mean Init Duration,
// cost per invocation and per million; then warm against cold, skipped variants, Power Tuning's result.
std::string report_text(const nlohmann::json& run);
// One row per variant, every statistic a column.
std::string report_csv(const nlohmann::json& run);
// What report --json writes: the run with statistics, as stored.
std::string report_json(const nlohmann::json& run);
// Variant by variant (matched by name): counts, p50, mean init and cost of A and B, with changes.
std::string compare_text(const nlohmann::json& a, const nlohmann::json& b);
// The list of runs (GET /api/runs).
std::string runs_text(const nlohmann::json& runs);

// "2026-05-01 12:34:56" in local time.
std::string local_time(std::int64_t epoch_ms);

}  // namespace lambdalab::lab
