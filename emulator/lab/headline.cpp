#include "lab/headline.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "lab/json_path.hpp"
#include "lab/power_tuning.hpp"

namespace lambdalab::lab {

namespace {

using nlohmann::json;

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    for (;;) {
        const std::size_t end = text.find(separator, begin);
        parts.emplace_back(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos) return parts;
        begin = end + 1;
    }
}

// Every {...} of the template, with its position.
struct Placeholder {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past '}'
    std::vector<std::string> parts;
};

std::vector<Placeholder> placeholders(std::string_view text) {
    std::vector<Placeholder> out;
    for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
        const std::size_t close = text.find('}', at);
        if (close == std::string_view::npos)
            throw std::invalid_argument("unclosed '{' at offset " + std::to_string(at));
        out.push_back({at, close + 1, split(text.substr(at + 1, close - at - 1), ':')});
        at = close;
    }
    return out;
}

const std::vector<std::string_view>& metric_names() {
    static const std::vector<std::string_view> names = {
        "count",       "errors",   "throttles",   "cold",       "cold_pct",   "mean",      "p50",
        "p90",         "p99",      "max",         "warm_mean",  "warm_p50",   "cold_mean", "cold_p50",
        "init_mean",   "init_p50", "client_mean", "client_p50", "client_p99", "cost",      "cost_per_million",
        "pt_duration", "pt_cost",  "rate"};
    return names;
}

bool is_count(std::string_view metric) {
    return metric == "count" || metric == "errors" || metric == "throttles" || metric == "cold";
}

std::string format_metric(std::string_view metric, double value) {
    if (is_count(metric) || metric.starts_with("resp.")) {
        if (std::fabs(value - std::round(value)) < 1e-9)
            return std::to_string(static_cast<long long>(std::llround(value)));
        return format_ratio(value);
    }
    if (metric == "cold_pct") return std::to_string(static_cast<long long>(std::llround(value))) + "%";
    if (metric == "rate") return std::to_string(static_cast<long long>(std::llround(value))) + "/s";
    if (metric == "cost" || metric == "pt_cost") return format_usd(value);
    if (metric == "cost_per_million") {
        char text[32];
        std::snprintf(text, sizeof text, "$%.2f", value);
        return text;
    }
    return format_ms(value);
}

const json* find_variant(const json& run, const std::string& name) {
    if (!run.contains("variants")) return nullptr;
    for (const auto& variant : run["variants"]) {
        if (variant.value("name", "") == name) return &variant;
    }
    return nullptr;
}

std::optional<double> metric_of(const json& run, const std::string& variant, const std::string& metric) {
    const json* v = find_variant(run, variant);
    if (!v) return std::nullopt;
    return variant_metric(*v, metric);
}

// kind: cheapest (cost strategy), fastest (speed strategy) or power (the run's own choice).
std::optional<int> tuned_power(const json& run, const std::string& function, const std::string& kind) {
    const json* result = find_at(run, {"result", "powerTuning", function.c_str()});
    if (!result || !result->is_object()) return std::nullopt;
    if (kind == "power")
        return result->contains("power") ? std::optional<int>((*result)["power"].get<int>()) : std::nullopt;
    std::vector<ExecutorStats> stats;
    for (const auto& s : result->value("stats", json::array())) {
        stats.push_back({s.value("value", 0), s.value("averagePrice", 0.0), s.value("averageDuration", 0.0), 0});
    }
    const auto best = choose(stats, kind == "cheapest" ? Strategy::cost : Strategy::speed, 0.5);
    if (!best) return std::nullopt;
    return best->value;
}

}  // namespace

bool is_known_metric(std::string_view metric) {
    if (metric.starts_with("resp.") && metric.size() > 5) return true;
    const auto& names = metric_names();
    return std::find(names.begin(), names.end(), metric) != names.end();
}

std::string format_ms(double ms) {
    char text[32];
    if (std::fabs(ms) >= 100)
        std::snprintf(text, sizeof text, "%.0f ms", ms);
    else if (std::fabs(ms) >= 10)
        std::snprintf(text, sizeof text, "%.1f ms", ms);
    else
        std::snprintf(text, sizeof text, "%.2f ms", ms);
    return text;
}

std::string format_ratio(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, std::fabs(ratio) >= 100 ? "%.0f" : "%.1f", ratio);
    return text;
}

std::string format_usd(double usd) {
    char text[32];
    std::snprintf(text, sizeof text, "$%.3g", usd);
    return text;
}

std::optional<double> variant_metric(const json& variant, std::string_view metric) {
    if (!variant.contains("stats") || !variant["stats"].is_object()) return std::nullopt;
    const json& s = variant["stats"];
    if (metric == "count") return number_at(s, {"invocations"});
    if (metric == "errors") return number_at(s, {"errors"});
    if (metric == "throttles") return number_at(s, {"throttles"});
    if (metric == "cold") return number_at(s, {"coldStarts"});
    if (metric == "cold_pct") {
        const auto cold = number_at(s, {"coldStarts"});
        const auto ran = number_at(s, {"duration", "count"});
        if (!cold || !ran || *ran == 0) return std::nullopt;
        return 100.0 * *cold / *ran;
    }
    static const std::vector<std::pair<std::string_view, std::pair<const char*, const char*>>> summaries = {
        {"mean", {"duration", "mean"}},
        {"p50", {"duration", "p50"}},
        {"p90", {"duration", "p90"}},
        {"p99", {"duration", "p99"}},
        {"max", {"duration", "max"}},
        {"warm_mean", {"warmDuration", "mean"}},
        {"warm_p50", {"warmDuration", "p50"}},
        {"cold_mean", {"coldDuration", "mean"}},
        {"cold_p50", {"coldDuration", "p50"}},
        {"init_mean", {"initDuration", "mean"}},
        {"init_p50", {"initDuration", "p50"}},
        {"client_mean", {"clientLatency", "mean"}},
        {"client_p50", {"clientLatency", "p50"}},
        {"client_p99", {"clientLatency", "p99"}}};
    for (const auto& [name, path] : summaries) {
        if (metric == name) return number_at(s, {path.first, path.second});
    }
    if (metric == "cost") return number_at(s, {"cost", "perInvocation"});
    if (metric == "cost_per_million") return number_at(s, {"cost", "perMillion"});
    if (metric == "pt_duration") return number_at(variant, {"result", "averageDuration"});
    if (metric == "pt_cost") return number_at(variant, {"result", "averagePrice"});
    if (metric == "rate") return number_at(variant, {"result", "rate"});
    if (metric.starts_with("resp.")) {
        const std::string field(metric.substr(5));
        if (!s.contains("responses") || !s["responses"].contains("fields")) return std::nullopt;
        const json& fields = s["responses"]["fields"];
        if (!fields.contains(field) || !fields[field].is_number()) return std::nullopt;
        return fields[field].get<double>();
    }
    return std::nullopt;
}

void check_headline(std::string_view text, const std::vector<std::string>& variants,
                    const std::vector<std::string>& functions) {
    const auto known_variant = [&](const std::string& name) {
        if (std::find(variants.begin(), variants.end(), name) == variants.end()) {
            throw std::invalid_argument("unknown variant '" + name + "'");
        }
    };
    const auto known_metric = [](const std::string& name) {
        if (!is_known_metric(name)) throw std::invalid_argument("unknown metric '" + name + "'");
    };
    for (const auto& p : placeholders(text)) {
        const std::string whole(text.substr(p.begin, p.end - p.begin));
        try {
            const auto& parts = p.parts;
            if ((parts[0] == "ratio" || parts[0] == "diff") && parts.size() == 4) {
                known_variant(parts[1]);
                known_variant(parts[2]);
                known_metric(parts[3]);
            } else if ((parts[0] == "cheapest" || parts[0] == "fastest" || parts[0] == "power") && parts.size() == 2) {
                if (std::find(functions.begin(), functions.end(), parts[1]) == functions.end()) {
                    throw std::invalid_argument("'" + parts[1] + "' is not a tuned function");
                }
            } else if (parts.size() == 2) {
                known_variant(parts[0]);
                known_metric(parts[1]);
            } else {
                throw std::invalid_argument(
                    "expected {VARIANT:METRIC}, {ratio:A:B:METRIC}, {diff:A:B:METRIC} or {cheapest:FUNCTION}");
            }
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(whole + ": " + e.what());
        }
    }
}

std::string render_headline(std::string_view text, const json& run) {
    std::string out;
    std::size_t copied = 0;
    for (const auto& p : placeholders(text)) {
        out.append(text.substr(copied, p.begin - copied));
        copied = p.end;
        const auto& parts = p.parts;
        std::string value = "n/a";
        if ((parts[0] == "ratio" || parts[0] == "diff") && parts.size() == 4) {
            const auto a = metric_of(run, parts[1], parts[3]);
            const auto b = metric_of(run, parts[2], parts[3]);
            if (a && b && parts[0] == "ratio" && *b != 0) value = format_ratio(*a / *b);
            if (a && b && parts[0] == "diff") value = format_metric(parts[3], *a - *b);
        } else if ((parts[0] == "cheapest" || parts[0] == "fastest" || parts[0] == "power") && parts.size() == 2) {
            if (const auto power = tuned_power(run, parts[1], parts[0])) value = std::to_string(*power);
        } else if (parts.size() == 2) {
            if (const auto v = metric_of(run, parts[0], parts[1])) value = format_metric(parts[1], *v);
        }
        out += value;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace lambdalab::lab
