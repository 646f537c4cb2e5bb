#include "lab/power_tuning.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <stdexcept>

#include "common/base64.hpp"
#include "lab/stats.hpp"

namespace lambdalab::lab {

namespace {

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The first "<prefix><number> ms" where number is \d+\.\d+ (decimal) or \d+, as a regex scan finds it.
double first_match(std::string_view log, std::string_view prefix, bool decimal) {
    for (std::size_t at = log.find(prefix); at != std::string_view::npos; at = log.find(prefix, at + 1)) {
        std::size_t i = at + prefix.size();
        const std::size_t start = i;
        while (i < log.size() && is_digit(log[i])) ++i;
        if (i == start) continue;
        if (decimal) {
            if (i >= log.size() || log[i] != '.') continue;
            const std::size_t fraction = ++i;
            while (i < log.size() && is_digit(log[i])) ++i;
            if (i == fraction) continue;
        }
        if (log.substr(i, 3) != " ms") continue;
        return std::strtod(std::string(log.substr(start, i - start)).c_str(), nullptr);
    }
    return 0;
}

ReportFigures parse_json_report(std::string_view log) {
    ReportFigures figures;
    std::size_t begin = 0;
    while (begin < log.size()) {
        std::size_t end = log.find('\n', begin);
        if (end == std::string_view::npos) end = log.size();
        const std::string_view line = log.substr(begin, end - begin);
        begin = end + 1;
        if (line.empty() || line.front() != '{') continue;
        const auto record = nlohmann::json::parse(line, nullptr, false);
        if (record.is_discarded() || !record.is_object() || record.value("type", "") != "platform.report") continue;
        const auto metrics = record.contains("record") && record["record"].is_object()
                                 ? record["record"].value("metrics", nlohmann::json::object())
                                 : nlohmann::json::object();
        const auto metric = [&](const char* name) {
            return metrics.contains(name) && metrics[name].is_number() ? metrics[name].get<double>() : 0.0;
        };
        figures.found = true;
        figures.duration_ms = metric("durationMs");
        figures.billed_duration_ms = metric("billedDurationMs");
        figures.init_duration_ms = metric("initDurationMs");
        figures.restore_duration_ms = metric("restoreDurationMs");
        figures.billed_restore_duration_ms = metric("billedRestoreDurationMs");
        break;
    }
    return figures;
}

double for_region(const std::map<std::string, double, std::less<>>& prices, std::string_view region) {
    const auto it = prices.find(region);
    return it != prices.end() ? it->second : prices.at("default");
}

template <typename T>
std::string encode_le(const std::vector<T>& values) {
    std::string bytes;
    bytes.reserve(values.size() * sizeof(T));
    for (const T value : values) {
        unsigned char raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        // Typed arrays are little endian in every browser; so is the byte order written here.
        if constexpr (std::endian::native == std::endian::big) std::reverse(std::begin(raw), std::end(raw));
        bytes.append(reinterpret_cast<const char*>(raw), sizeof(T));
    }
    return base64_encode(bytes);
}

// JavaScript's ToInt16, as new Int16Array([...]) applies it.
std::int16_t to_int16(int value) {
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(value & 0xFFFF));
}

}  // namespace

ReportFigures parse_report(std::string_view log) {
    if (!log.empty() && log.front() == '{') return parse_json_report(log);
    ReportFigures figures;
    figures.found = log.find("REPORT RequestId:") != std::string_view::npos;
    figures.duration_ms = first_match(log, "\tDuration: ", true);
    figures.billed_duration_ms = first_match(log, "\tBilled Duration: ", false);
    figures.init_duration_ms = first_match(log, "\tInit Duration: ", true);
    figures.restore_duration_ms = first_match(log, "\tRestore Duration: ", true);
    figures.billed_restore_duration_ms = first_match(log, "\tBilled Restore Duration: ", false);
    return figures;
}

double base_cost(std::string_view region, std::string_view architecture) {
    static const std::map<std::string, double, std::less<>> x86 = {{"ap-east-1", 2.9e-9},
                                                                   {"af-south-1", 2.8e-9},
                                                                   {"me-south-1", 2.6e-9},
                                                                   {"eu-south-1", 2.4e-9},
                                                                   {"ap-northeast-3", 2.7e-9},
                                                                   {"cn-north-1", 0.0000000142},
                                                                   {"cn-northwest-1", 0.0000000142},
                                                                   {"default", 2.1e-9}};
    static const std::map<std::string, double, std::less<>> arm = {{"default", 1.7e-9}};
    if (architecture == "x86_64") return for_region(x86, region);
    if (architecture == "arm64") return for_region(arm, region);
    throw std::invalid_argument("Unsupported architecture: " + std::string(architecture));
}

double step_functions_transition_cost(std::string_view region) {
    static const std::map<std::string, double, std::less<>> prices = {
        {"default", 0.000025},      {"us-gov-west-1", 0.00003},   {"ap-northeast-2", 0.0000271},
        {"eu-south-1", 0.00002625}, {"af-south-1", 0.00002975},   {"us-west-1", 0.0000279},
        {"eu-west-3", 0.0000297},   {"ap-east-1", 0.0000275},     {"me-south-1", 0.0000275},
        {"ap-south-1", 0.0000285},  {"us-gov-east-1", 0.00003},   {"sa-east-1", 0.0000375},
        {"cn-north-1", 0.0001891},  {"cn-northwest-1", 0.0001891}};
    return for_region(prices, region);
}

double compute_price(double base, int min_ram, int value, double duration_ms) {
    return std::ceil(duration_ms) * base * (static_cast<double>(value) / static_cast<double>(min_ram));
}

ExecutorStats executor_stats(int value, const std::vector<ReportFigures>& invocations, double base, double discard,
                             int min_ram) {
    std::vector<double> durations;
    std::vector<double> billed;
    durations.reserve(invocations.size());
    billed.reserve(invocations.size());
    ExecutorStats stats;
    stats.value = value;
    for (const auto& figures : invocations) {
        durations.push_back(figures.tuning_duration());
        billed.push_back(figures.tuning_billed());
        stats.total_cost += compute_price(base, min_ram, value, figures.tuning_billed());
    }
    stats.average_duration = trimmed_mean(durations, discard);
    stats.average_price = compute_price(base, min_ram, value, trimmed_mean(billed, discard));
    return stats;
}

std::optional<Strategy> parse_strategy(std::string_view name) {
    if (name == "cost") return Strategy::cost;
    if (name == "speed") return Strategy::speed;
    if (name == "balanced") return Strategy::balanced;
    return std::nullopt;
}

std::string_view to_string(Strategy strategy) {
    switch (strategy) {
        case Strategy::cost:
            return "cost";
        case Strategy::speed:
            return "speed";
        case Strategy::balanced:
            return "balanced";
    }
    return "cost";
}

double discard_top_bottom(std::optional<double> requested, bool only_cold_starts) {
    const double value = requested.value_or(only_cold_starts ? 0.0 : 0.2);
    return std::clamp(value, 0.0, 0.4);
}

double balanced_weight(std::optional<double> requested) {
    return std::clamp(requested.value_or(0.5), 0.0, 1.0);
}

std::optional<ExecutorStats> choose(std::vector<ExecutorStats> stats, Strategy strategy, double weight) {
    // extractStatistics drops results with a falsy averageDuration (0 or NaN).
    std::erase_if(stats,
                  [](const ExecutorStats& s) { return s.average_duration == 0 || std::isnan(s.average_duration); });
    if (stats.empty()) return std::nullopt;
    // Array.prototype.sort is stable (V8 since 7.0), hence stable_sort with the same comparators.
    switch (strategy) {
        case Strategy::cost:
            std::stable_sort(stats.begin(), stats.end(), [](const ExecutorStats& a, const ExecutorStats& b) {
                if (a.average_price == b.average_price) return a.average_duration < b.average_duration;
                return a.average_price < b.average_price;
            });
            break;
        case Strategy::speed:
            std::stable_sort(stats.begin(), stats.end(), [](const ExecutorStats& a, const ExecutorStats& b) {
                if (a.average_duration == b.average_duration) return a.average_price < b.average_price;
                return a.average_duration < b.average_duration;
            });
            break;
        case Strategy::balanced: {
            double max_cost = stats.front().average_price;
            double max_duration = stats.front().average_duration;
            for (const auto& s : stats) {
                max_cost = std::max(max_cost, s.average_price);
                max_duration = std::max(max_duration, s.average_duration);
            }
            const auto value = [&](const ExecutorStats& s) {
                return weight * s.average_price / max_cost + (1 - weight) * s.average_duration / max_duration;
            };
            std::stable_sort(stats.begin(), stats.end(),
                             [&](const ExecutorStats& a, const ExecutorStats& b) { return value(a) < value(b); });
            break;
        }
    }
    return stats.front();
}

double step_functions_cost(int power_values, bool only_cold_starts, int num, double transition_cost) {
    const int multiplier = only_cold_starts ? 6 + power_values + 2 * power_values * num : 6 + power_values * 3;
    char text[64];
    std::snprintf(text, sizeof text, "%.5f", transition_cost * multiplier);
    return std::strtod(text, nullptr);
}

std::string visualization_url(std::vector<ExecutorStats> stats, std::string_view region, std::string_view base_url) {
    std::stable_sort(stats.begin(), stats.end(),
                     [](const ExecutorStats& a, const ExecutorStats& b) { return a.value < b.value; });
    std::vector<std::int16_t> sizes;
    std::vector<float> times;
    std::vector<float> costs;
    for (const auto& s : stats) {
        sizes.push_back(to_int16(s.value));
        times.push_back(static_cast<float>(s.average_duration));
        costs.push_back(static_cast<float>(s.average_price));
    }
    std::string url(base_url);
    if (region.starts_with("cn-")) url += "?currency=CNY";
    return url + "#" + encode_le(sizes) + ";" + encode_le(times) + ";" + encode_le(costs);
}

nlohmann::ordered_json tuning_output(const TuningInput& input) {
    const auto optimal = choose(input.stats, input.strategy, input.balanced_weight);
    if (!optimal) throw std::invalid_argument("no power value has results");
    std::vector<ExecutorStats> kept;
    double lambda_cost = 0;
    for (const auto& s : input.stats) {
        if (s.average_duration == 0 || std::isnan(s.average_duration)) continue;
        kept.push_back(s);
        lambda_cost += s.total_cost;
    }
    nlohmann::ordered_json out;
    out["power"] = optimal->value;
    out["cost"] = optimal->average_price;
    out["duration"] = optimal->average_duration;
    out["stateMachine"] = {
        {"executionCost", step_functions_cost(static_cast<int>(input.stats.size()), input.only_cold_starts, input.num,
                                              step_functions_transition_cost(input.region))},
        {"lambdaCost", lambda_cost},
        {"visualization", visualization_url(kept, input.region)}};
    auto stats = nlohmann::ordered_json::array();
    for (const auto& s : input.stats) {
        stats.push_back(
            {{"value", s.value}, {"averagePrice", s.average_price}, {"averageDuration", s.average_duration}});
    }
    out["stats"] = stats;
    return out;
}

nlohmann::ordered_json ordered_output(const nlohmann::json& output) {
    nlohmann::ordered_json out;
    for (const char* key : {"power", "cost", "duration"}) {
        if (output.contains(key)) out[key] = output[key];
    }
    if (output.contains("stateMachine")) {
        nlohmann::ordered_json machine;
        for (const char* key : {"executionCost", "lambdaCost", "visualization"}) {
            if (output["stateMachine"].contains(key)) machine[key] = output["stateMachine"][key];
        }
        out["stateMachine"] = machine;
    }
    if (output.contains("stats")) {
        auto stats = nlohmann::ordered_json::array();
        for (const auto& s : output["stats"]) {
            stats.push_back({{"value", s.value("value", 0)},
                             {"averagePrice", s.value("averagePrice", 0.0)},
                             {"averageDuration", s.value("averageDuration", 0.0)}});
        }
        out["stats"] = stats;
    }
    return out;
}

}  // namespace lambdalab::lab
