#include "lab/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#include "lab/headline.hpp"
#include "lab/json_path.hpp"
#include "lab/progress.hpp"

namespace lambdalab::lab {

using nlohmann::json;

namespace {

// A text table: columns sized to their widest cell; the first `left` columns (names) left-aligned,
// the rest (figures) right-aligned.
class Table {
  public:
    explicit Table(std::vector<std::string> header, std::size_t left = 1) : left_(left) {
        rows_.push_back(std::move(header));
    }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    bool empty() const { return rows_.size() <= 1; }
    std::string str() const {
        std::vector<std::size_t> widths;
        for (const auto& row : rows_) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (widths.size() <= i) widths.push_back(0);
                widths[i] = std::max(widths[i], row[i].size());
            }
        }
        std::string out;
        for (const auto& row : rows_) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                const std::string pad(widths[i] - row[i].size(), ' ');
                const std::string gap = i == 0 ? "" : "  ";
                line += i < left_ ? gap + row[i] + pad : gap + pad + row[i];
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out += line + "\n";
        }
        return out;
    }

  private:
    std::size_t left_;
    std::vector<std::vector<std::string>> rows_;
};

std::string ms(std::optional<double> value) {
    if (!value) return "-";
    char text[32];
    if (std::fabs(*value) >= 1000)
        std::snprintf(text, sizeof text, "%.0f", *value);
    else if (std::fabs(*value) >= 10)
        std::snprintf(text, sizeof text, "%.1f", *value);
    else
        std::snprintf(text, sizeof text, "%.2f", *value);
    return text;
}

std::string count(std::optional<double> value) {
    if (!value) return "-";
    return std::to_string(static_cast<long long>(std::llround(*value)));
}

std::string usd(std::optional<double> value, const char* format = "%.3g") {
    if (!value) return "-";
    char text[32];
    std::snprintf(text, sizeof text, format, *value);
    return text;
}

std::string change(std::optional<double> a, std::optional<double> b) {
    if (!a || !b || *a == 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%+.1f%%", 100.0 * (*b - *a) / *a);
    return text;
}

std::string csv_field(const json& value) {
    if (value.is_null()) return "";
    if (value.is_number()) {
        char text[32];
        std::snprintf(text, sizeof text, "%.10g", value.get<double>());
        return text;
    }
    std::string text = value.is_string() ? value.get<std::string>() : value.dump();
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

// The configured memory, else the memory the invocations ran with.
std::string memory_of(const json& variant) {
    json memory = value_at(variant, {"config", "memory"});
    if (!memory.is_number()) memory = value_at(variant, {"stats", "memorySizeMb"});
    return memory.is_number() && memory.get<int>() > 0 ? std::to_string(memory.get<int>()) : "-";
}

std::string duration_text(const json& run) {
    const json end = run.value("endedAtMs", json());
    if (!end.is_number()) return "";
    return format_duration((end.get<double>() - run.value("startedAtMs", 0.0)) / 1000.0);
}

}  // namespace

std::string local_time(std::int64_t epoch_ms) {
    const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
    std::tm tm{};
    localtime_r(&seconds, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
    return text;
}

std::string report_text(const json& run) {
    std::string out;
    out += "run " + std::to_string(run.value("id", 0)) + ": " + run.value("name", "") + " (" +
           run.value("kind", "suite") + ", " + run.value("status", "?") + ")\n";
    out += "started " + local_time(run.value("startedAtMs", std::int64_t{0}));
    if (const std::string took = duration_text(run); !took.empty()) out += ", took " + took;
    if (run.contains("endpoint") && run["endpoint"].is_string())
        out += ", against " + run["endpoint"].get<std::string>();
    if (const json profile = value_at(run, {"environment", "profile"}); profile.is_string())
        out += ", profile " + profile.get<std::string>();
    out += "\n";
    if (run.contains("message") && run["message"].is_string()) out += run["message"].get<std::string>() + "\n";
    if (run.contains("headline") && run["headline"].is_string())
        out += "\n" + run["headline"].get<std::string>() + "\n";
    out += "\n";

    Table table({"variant", "function", "MB", "count", "errors", "throttles", "cold", "p50 ms", "p90 ms", "p99 ms",
                 "max ms", "init ms", "$/invocation", "$/million"},
                /*left=*/2);
    Table split({"variant", "warm", "warm p50 ms", "warm p99 ms", "cold", "cold p50 ms", "init p50 ms", "client p50 ms",
                 "client p99 ms"});
    std::vector<std::string> skipped;
    bool mixed = false;
    for (const auto& v : run.value("variants", json::array())) {
        const std::string status = v.value("status", "");
        if (status == "skipped" || status == "failed") {
            const json why = v.value("message", json());
            skipped.push_back(v.value("name", "") + " (" + status +
                              "): " + (why.is_string() ? why.get<std::string>() : ""));
            continue;
        }
        const json s = v.value("stats", json::object());
        table.add({v.value("name", ""),
                   value_at(v, {"config", "function"}).is_string() ? v["config"]["function"].get<std::string>() : "-",
                   memory_of(v), count(number_at(s, {"invocations"})), count(number_at(s, {"errors"})),
                   count(number_at(s, {"throttles"})), count(number_at(s, {"coldStarts"})),
                   ms(number_at(s, {"duration", "p50"})), ms(number_at(s, {"duration", "p90"})),
                   ms(number_at(s, {"duration", "p99"})), ms(number_at(s, {"duration", "max"})),
                   ms(number_at(s, {"initDuration", "mean"})), usd(number_at(s, {"cost", "perInvocation"})),
                   usd(number_at(s, {"cost", "perMillion"}), "%.2f")});
        split.add({v.value("name", ""), count(number_at(s, {"warmDuration", "count"})),
                   ms(number_at(s, {"warmDuration", "p50"})), ms(number_at(s, {"warmDuration", "p99"})),
                   count(number_at(s, {"coldDuration", "count"})), ms(number_at(s, {"coldDuration", "p50"})),
                   ms(number_at(s, {"initDuration", "p50"})), ms(number_at(s, {"clientLatency", "p50"})),
                   ms(number_at(s, {"clientLatency", "p99"}))});
        if (number_at(s, {"coldStarts"}).value_or(0) > 0) mixed = true;
    }
    out += table.str();
    if (mixed)
        out += "\nwarm and cold (Duration; init is Init Duration; client is the runner's send-to-answer time)\n" +
               split.str();
    else
        out += "\nclient latency (send to answer)\n" + split.str();
    if (!skipped.empty()) {
        out += "\nnot measured:\n";
        for (const auto& line : skipped) out += "  " + line + "\n";
    }
    const json tuning = value_at(run, {"result", "powerTuning"});
    if (tuning.is_object()) {
        for (const auto& [function, output] : tuning.items()) {
            out += "\nPower Tuning of " + function + ": ";
            if (output.contains("error")) {
                out += output["error"].get<std::string>() + "\n";
                continue;
            }
            out += "power " + std::to_string(output.value("power", 0)) + " MB, cost " +
                   usd(number_at(output, {"cost"})) + " per invocation, duration " +
                   ms(number_at(output, {"duration"})) + " ms\n";
            Table pt({"MB", "averageDuration ms", "averagePrice $"});
            for (const auto& s : output.value("stats", json::array())) {
                pt.add({std::to_string(s.value("value", 0)), ms(number_at(s, {"averageDuration"})),
                        usd(number_at(s, {"averagePrice"}))});
            }
            out += pt.str();
            const json url = value_at(output, {"stateMachine", "visualization"});
            if (url.is_string()) out += "visualization: " + url.get<std::string>() + "\n";
        }
    }
    return out;
}

std::string report_csv(const json& run) {
    const std::vector<std::pair<std::string, std::vector<const char*>>> columns = {
        {"invocations", {"invocations"}},
        {"succeeded", {"succeeded"}},
        {"errors", {"errors"}},
        {"throttles", {"throttles"}},
        {"cold_starts", {"coldStarts"}},
        {"duration_mean_ms", {"duration", "mean"}},
        {"duration_p50_ms", {"duration", "p50"}},
        {"duration_p90_ms", {"duration", "p90"}},
        {"duration_p99_ms", {"duration", "p99"}},
        {"duration_max_ms", {"duration", "max"}},
        {"warm_count", {"warmDuration", "count"}},
        {"warm_p50_ms", {"warmDuration", "p50"}},
        {"cold_p50_ms", {"coldDuration", "p50"}},
        {"init_mean_ms", {"initDuration", "mean"}},
        {"init_p50_ms", {"initDuration", "p50"}},
        {"client_p50_ms", {"clientLatency", "p50"}},
        {"client_p99_ms", {"clientLatency", "p99"}},
        {"billed_mean_ms", {"billedDurationMean"}},
        {"max_memory_used_mb", {"maxMemoryUsedMb"}},
        {"cost_total_usd", {"cost", "total"}},
        {"cost_per_invocation_usd", {"cost", "perInvocation"}},
        {"cost_per_million_usd", {"cost", "perMillion"}}};
    std::string out = "run_id,variant,status,function,memory_mb";
    for (const auto& [name, path] : columns) out += "," + name;
    out += ",pt_average_duration_ms,pt_average_price_usd,rate_per_s\n";
    for (const auto& v : run.value("variants", json::array())) {
        out += csv_field(run.value("id", json())) + "," + csv_field(v.value("name", json())) + "," +
               csv_field(v.value("status", json())) + "," + csv_field(value_at(v, {"config", "function"})) + "," +
               (memory_of(v) == "-" ? std::string() : memory_of(v));
        const json s = v.value("stats", json::object());
        for (const auto& [name, path] : columns) {
            const json* at = &s;
            for (const char* key : path) {
                if (!at->is_object() || !at->contains(key)) {
                    at = nullptr;
                    break;
                }
                at = &(*at)[key];
            }
            out += "," + (at ? csv_field(*at) : std::string());
        }
        out += "," + csv_field(value_at(v, {"result", "averageDuration"})) + "," +
               csv_field(value_at(v, {"result", "averagePrice"})) + "," + csv_field(value_at(v, {"result", "rate"})) +
               "\n";
    }
    return out;
}

std::string report_json(const json& run) {
    return run.dump(2) + "\n";
}

std::string compare_text(const json& a, const json& b) {
    std::string out = "run " + std::to_string(a.value("id", 0)) + " (" + a.value("name", "") + ") against run " +
                      std::to_string(b.value("id", 0)) + " (" + b.value("name", "") + ")\n\n";
    Table table({"variant", "count A", "count B", "p50 A", "p50 B", "p50 change", "p99 A", "p99 B", "init A", "init B",
                 "$/inv A", "$/inv B", "cost change"});
    const auto find = [](const json& run, const std::string& name) -> json {
        for (const auto& v : run.value("variants", json::array())) {
            if (v.value("name", "") == name) return v.value("stats", json::object());
        }
        return nullptr;
    };
    std::vector<std::string> names;
    for (const json* run : {&a, &b}) {
        for (const auto& v : run->value("variants", json::array())) {
            const std::string name = v.value("name", "");
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
    }
    for (const auto& name : names) {
        const json sa = find(a, name);
        const json sb = find(b, name);
        table.add({name, count(number_at(sa, {"invocations"})), count(number_at(sb, {"invocations"})),
                   ms(number_at(sa, {"duration", "p50"})), ms(number_at(sb, {"duration", "p50"})),
                   change(number_at(sa, {"duration", "p50"}), number_at(sb, {"duration", "p50"})),
                   ms(number_at(sa, {"duration", "p99"})), ms(number_at(sb, {"duration", "p99"})),
                   ms(number_at(sa, {"initDuration", "mean"})), ms(number_at(sb, {"initDuration", "mean"})),
                   usd(number_at(sa, {"cost", "perInvocation"})), usd(number_at(sb, {"cost", "perInvocation"})),
                   change(number_at(sa, {"cost", "perInvocation"}), number_at(sb, {"cost", "perInvocation"}))});
    }
    out += table.str();
    for (const json* run : {&a, &b}) {
        if (run->contains("headline") && (*run)["headline"].is_string()) {
            out += "\nrun " + std::to_string(run->value("id", 0)) + ": " + (*run)["headline"].get<std::string>();
        }
    }
    return out + "\n";
}

std::string runs_text(const json& runs) {
    if (runs.empty()) return "no runs yet (lambdalab bench SUITE, or lambdalab tune FUNCTION)\n";
    Table table({"id", "status", "kind", "name", "variants", "invocations", "started", "took", "headline"}, 1);
    for (const auto& r : runs) {
        std::string headline = r.value("headline", json("")).is_string() ? r["headline"].get<std::string>() : "";
        if (headline.size() > 90) headline = headline.substr(0, 87) + "...";
        table.add({std::to_string(r.value("id", 0)), r.value("status", ""), r.value("kind", ""), r.value("name", ""),
                   std::to_string(r.value("variants", 0)),
                   r.value("invocations", json()).is_number() ? std::to_string(r["invocations"].get<long long>()) : "-",
                   local_time(r.value("startedAtMs", std::int64_t{0})), duration_text(r), headline});
    }
    return table.str();
}

}  // namespace lambdalab::lab
