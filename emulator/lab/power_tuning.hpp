#pragma once
// AWS Lambda Power Tuning's arithmetic, reproduced exactly (reference/perf-model.md §2.3-2.8;
// alexcasalboni/aws-lambda-power-tuning, lambda/utils.js, executor.js and analyzer.js): the figures
// it reads from each invocation's REPORT line, its trimmed-mean statistics and cost model, the three
// strategies, the Step Functions cost and the lambda-power-tuning.show visualization URL. Pure logic.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::lab {

// What the executor extracts from the base64-decoded X-Amz-Log-Result tail. A missing field is 0.
struct ReportFigures {
    bool found = false;  // a REPORT line (or platform.report record) was there
    double duration_ms = 0;
    double billed_duration_ms = 0;
    double init_duration_ms = 0;
    double restore_duration_ms = 0;
    double billed_restore_duration_ms = 0;

    // Duration + Init Duration + Restore Duration: cold starts count unless trimmed away.
    double tuning_duration() const { return duration_ms + init_duration_ms + restore_duration_ms; }
    // Billed Duration + Billed Restore Duration (what the cost is computed from since 4.3.1).
    double tuning_billed() const { return billed_duration_ms + billed_restore_duration_ms; }
};

// Text logs are matched like the executor's regexes (\tDuration: (\d+\.\d+) ms, \tBilled Duration:
// (\d+) ms, \tInit Duration: ..., \tRestore Duration: ..., \tBilled Restore Duration: ...; first
// match each); a log starting with '{' is read as JSON lines, from the platform.report record.
ReportFigures parse_report(std::string_view log);

// $ per ms at 128 MB, as Power Tuning's template.yml sets baseCosts (per region, then "default").
// Throws std::invalid_argument for an architecture other than x86_64 or arm64.
double base_cost(std::string_view region, std::string_view architecture);
// $ per Step Functions state transition (sfCosts).
double step_functions_transition_cost(std::string_view region);

// computePrice: ceil(duration) x baseCost x value / minRAM (no request charge, no free tier).
double compute_price(double base_cost, int min_ram, int value, double duration_ms);

// What one Executor returns for a power value.
struct ExecutorStats {
    int value = 0;
    double average_price = 0;     // compute_price of the trimmed mean of billed durations
    double average_duration = 0;  // trimmed mean of tuning durations
    double total_cost = 0;        // sum of each invocation's price, untrimmed
};

ExecutorStats executor_stats(int value, const std::vector<ReportFigures>& invocations, double base_cost,
                             double discard_top_bottom, int min_ram = 128);

enum class Strategy { cost, speed, balanced };
std::optional<Strategy> parse_strategy(std::string_view name);
std::string_view to_string(Strategy strategy);

// discardTopBottom: default 0.2, or 0 with onlyColdStarts; clamped to [0, 0.4].
double discard_top_bottom(std::optional<double> requested, bool only_cold_starts);
// balancedWeight: default 0.5, clamped to [0, 1].
double balanced_weight(std::optional<double> requested);

// The analyzer's choice among stats with a non-zero average duration (nullopt if none):
// cost: cheapest, ties by duration; speed: fastest, ties by cost; balanced: the smallest
// w * cost / maxCost + (1 - w) * duration / maxDuration. Ties beyond that keep the input order.
std::optional<ExecutorStats> choose(std::vector<ExecutorStats> stats, Strategy strategy, double weight);

// stepFunctionsCost: transitions x price, rounded to 5 decimals like toFixed(5).
double step_functions_cost(int power_values, bool only_cold_starts, int num, double transition_cost);

// buildVisualizationURL: base#sizes;times;costs with sizes as Int16, times and costs as Float32
// (little endian), each base64; "?currency=CNY" before the '#' in cn- regions.
std::string visualization_url(std::vector<ExecutorStats> stats, std::string_view region,
                              std::string_view base_url = "https://lambda-power-tuning.show/");

struct TuningInput {
    std::vector<ExecutorStats> stats;  // in power-value order
    Strategy strategy = Strategy::cost;
    double balanced_weight = 0.5;
    bool only_cold_starts = false;
    int num = 0;
    std::string region = "us-east-1";
};

// The state machine's output: {power, cost, duration, stateMachine: {executionCost, lambdaCost,
// visualization}, stats: [{value, averagePrice, averageDuration}]}, keys in that order.
// Throws std::invalid_argument when no power value has results.
nlohmann::ordered_json tuning_output(const TuningInput& input);
// The same output read back from JSON (stores sort keys), in the state machine's key order.
nlohmann::ordered_json ordered_output(const nlohmann::json& output);

}  // namespace lambdalab::lab
