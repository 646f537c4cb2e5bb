#include "ui/ui_api.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "control/function_registry.hpp"
#include "scheduler/scheduler.hpp"
#include "ui/ui_store.hpp"

namespace lambdalab::ui {

namespace http = net::http;
using nlohmann::json;

namespace {

constexpr std::int64_t kRecentWindowMs = 5 * 60 * 1000;    // the functions list's "recent" figures
constexpr std::size_t kRecentCap = 10000;                  // rows looked at for them, per function
constexpr std::int64_t kDefaultWindowMs = 15 * 60 * 1000;  // a function's timeline without from/to
constexpr std::int64_t kMaxWindowMs = 7LL * 24 * 3600 * 1000;
constexpr std::int64_t kMaxLookbackMs = 3600 * 1000;
constexpr std::size_t kLookbackRows = 5000;

struct ApiError {
    http::status status;
    std::string code;
    std::string message;
};

[[noreturn]] void bad_request(const std::string& message) {
    throw ApiError{http::status::bad_request, "BadRequest", message};
}
[[noreturn]] void not_found(const std::string& message) {
    throw ApiError{http::status::not_found, "NotFound", message};
}

net::Response reply(http::status status, const json& body) {
    auto response = net::make_response(status, body.dump(), "application/json");
    response.set(http::field::cache_control, "no-store");
    return response;
}

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<std::string> query_text(const api::RequestTarget& target, const char* key) {
    const auto it = target.query.find(key);
    if (it == target.query.end()) return std::nullopt;
    return it->second;
}

std::optional<std::int64_t> query_int(const api::RequestTarget& target, const char* key, std::int64_t low,
                                      std::int64_t high) {
    const auto text = query_text(target, key);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < low || value > high) {
        bad_request(std::string(key) + " must be an integer between " + std::to_string(low) + " and " +
                    std::to_string(high));
    }
    return value;
}

std::size_t query_limit(const api::RequestTarget& target, std::int64_t fallback, std::int64_t high) {
    return static_cast<std::size_t>(query_int(target, "limit", 1, high).value_or(fallback));
}

// The scheduler's phases as a person reads them (the brief: warm, busy, frozen, initializing).
std::string display_state(const scheduler::SandboxStatus& status) {
    if (status.state == "booting" || status.state == "initializing") return "initializing";
    if (status.state == "busy" || status.state == "finishing") return "busy";
    if (status.state == "idle") return status.frozen ? "frozen" : "warm";
    return status.state;
}

json live_json(const scheduler::SandboxStatus& status) {
    return {{"id", status.id},
            {"function", status.function},
            {"state", display_state(status)},
            {"phase", status.state},
            {"frozen", status.frozen},
            {"pid", status.pid < 0 ? json(nullptr) : json(status.pid)},
            {"invocations", status.invocations},
            {"createdAtMs", status.created_at_ms}};
}

// Adds each sandbox's live status (or live: false) to store rows, and appends live sandboxes the
// store has not written yet.
void merge_live(json& rows, const std::vector<scheduler::SandboxStatus>& live, const std::set<std::string>& wanted,
                const control::FunctionRegistry& registry) {
    std::unordered_map<std::string, const scheduler::SandboxStatus*> by_id;
    for (const auto& status : live) by_id.emplace(status.id, &status);
    std::set<std::string> present;
    for (auto& row : rows) {
        const std::string id = row["id"].get<std::string>();
        present.insert(id);
        const auto it = by_id.find(id);
        row["live"] = it != by_id.end();
        if (it == by_id.end()) continue;
        row["state"] = display_state(*it->second);
        row["phase"] = it->second->state;
        row["frozen"] = it->second->frozen;
    }
    for (const auto& id : wanted) {
        const auto it = by_id.find(id);
        if (present.contains(id) || it == by_id.end()) continue;
        json row = live_json(*it->second);
        const auto config = registry.find(it->second->function);
        row["memoryMb"] = config ? json(config->memory_mb) : json(nullptr);
        row["endedAtMs"] = nullptr;
        row["endReason"] = nullptr;
        row["live"] = true;
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
        return a["createdAtMs"].get<std::int64_t>() < b["createdAtMs"].get<std::int64_t>();
    });
}

json function_summary(const control::FunctionConfig& config) {
    return {{"name", config.name},
            {"runtime", config.runtime},
            {"handler", config.handler},
            {"description", config.description},
            {"memorySize", config.memory_mb},
            {"timeout", config.timeout_s},
            {"architecture", config.architecture},
            {"state", config.state},
            {"reservedConcurrency", config.reserved_concurrency ? json(*config.reserved_concurrency) : json(nullptr)},
            {"vpc", config.vpc.enabled()},
            {"lastModified", config.last_modified}};
}

json recent_json(const RecentSummary& recent) {
    return {{"windowMs", kRecentWindowMs},
            {"invocations", recent.invocations},
            {"errors", recent.errors},
            {"throttles", recent.throttles},
            {"coldStarts", recent.cold_starts},
            {"capped", recent.capped},
            {"lastInvocationAtMs", recent.last_at_ms ? json(*recent.last_at_ms) : json(nullptr)}};
}

}  // namespace

UiApi::UiApi(const std::filesystem::path& database, const control::FunctionRegistry& registry,
             const scheduler::Scheduler& scheduler, UiInfo info, std::vector<std::filesystem::path> asset_dirs)
    : registry_(registry),
      scheduler_(scheduler),
      info_(std::move(info)),
      started_at_ms_(now_ms()),
      files_(std::move(asset_dirs)),
      store_(std::make_unique<UiStore>(database)) {}

UiApi::~UiApi() = default;

bool UiApi::handle(const api::RequestTarget& target, net::Request& request, net::Responder& responder) {
    const auto& s = target.segments;
    const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
    if (s.empty() || (s[0] != "api" && !std::isdigit(static_cast<unsigned char>(s[0][0])))) {
        // Not the JSON API and not a Lambda API path (they all start with a date): the UI's files.
        if (!read) return false;
        auto response = files_.serve(s, request);
        if (request.method() == http::verb::head && !response.body().empty()) {
            const auto length = response.body().size();
            response.body().clear();
            response.content_length(length);
        }
        responder(std::move(response));
        return true;
    }
    static const std::set<std::string> kMine = {"emulator", "functions", "timeline", "series"};
    if (s[0] != "api" || s.size() < 2 || !kMine.contains(s[1])) return false;
    try {
        if (!read) {
            throw ApiError{
                http::status::method_not_allowed, "MethodNotAllowed",
                std::string(request.method_string()) + " is not allowed on " + std::string(request.target())};
        }
        auto response = route(target, request);
        if (request.method() == http::verb::head) {
            const auto length = response.body().size();
            response.body().clear();
            response.content_length(length);
        }
        responder(std::move(response));
    } catch (const ApiError& e) {
        responder(reply(e.status, {{"error", e.code}, {"message", e.message}}));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lambdalab: UI API: %s\n", e.what());
        responder(reply(http::status::internal_server_error, {{"error", "InternalError"}, {"message", e.what()}}));
    }
    return true;
}

net::Response UiApi::route(const api::RequestTarget& target, const net::Request&) {
    const auto& s = target.segments;
    if (s[1] == "emulator" && s.size() == 2) return reply(http::status::ok, emulator());
    if (s[1] == "functions" && s.size() == 2) return reply(http::status::ok, functions());
    if (s[1] == "functions" && s.size() == 3) return reply(http::status::ok, function(s[2], target));
    if (s[1] == "functions" && s.size() == 4 && s[3] == "logs") {
        return reply(http::status::ok,
                     {{"function", s[2]}, {"logs", store_->logs(s[2], query_limit(target, 20, 200))}});
    }
    if (s[1] == "timeline" && s.size() == 2) return reply(http::status::ok, timeline(target));
    if (s[1] == "series" && s.size() == 2) return reply(http::status::ok, series(target));
    not_found("no such resource: /" + [&] {
        std::string path;
        for (const auto& segment : s) path += (path.empty() ? "" : "/") + segment;
        return path;
    }());
}

json UiApi::emulator() const {
    const auto& profile = scheduler_.profile();
    const auto root = files_.root();
    return {{"version", info_.version},
            {"region", info_.region},
            {"profile", profile.name},
            {"timeScale", profile.time_scale},
            {"settings", info_.profile},
            {"resourceControl", info_.resource_control},
            {"hostCores", info_.host_cores},
            {"dataDir", info_.data_dir},
            {"startedAtMs", started_at_ms_},
            {"nowMs", now_ms()},
            {"webUi", root ? json(root->string()) : json(nullptr)}};
}

json UiApi::functions() {
    std::map<std::string, json> counts;
    for (const auto& status : scheduler_.sandboxes()) {
        json& c = counts[status.function];
        if (c.is_null()) c = {{"total", 0}, {"initializing", 0}, {"busy", 0}, {"warm", 0}, {"frozen", 0}};
        c["total"] = c["total"].get<int>() + 1;
        const std::string state = display_state(status);
        if (c.contains(state)) c[state] = c[state].get<int>() + 1;
    }
    const std::int64_t since = now_ms() - kRecentWindowMs;
    json list = json::array();
    for (const auto& config : registry_.list()) {
        json entry = function_summary(*config);
        const auto it = counts.find(config->name);
        entry["sandboxes"] = it != counts.end()
                                 ? it->second
                                 : json{{"total", 0}, {"initializing", 0}, {"busy", 0}, {"warm", 0}, {"frozen", 0}};
        entry["recent"] = recent_json(store_->recent_summary(config->name, since, kRecentCap));
        list.push_back(std::move(entry));
    }
    return {{"functions", list}, {"nowMs", now_ms()}};
}

json UiApi::function(const std::string& name, const api::RequestTarget& target) {
    const auto config = registry_.find(name);
    if (!config) not_found("no function '" + name + "'");
    json sandboxes = json::array();
    for (const auto& status : scheduler_.sandboxes()) {
        if (status.function == name) sandboxes.push_back(live_json(status));
    }
    std::stable_sort(sandboxes.begin(), sandboxes.end(), [](const json& a, const json& b) {
        return a["createdAtMs"].get<std::int64_t>() < b["createdAtMs"].get<std::int64_t>();
    });
    json versions = json::array();
    for (const auto& version : registry_.versions(name)) {
        if (version->version != "$LATEST") versions.push_back(version->version);
    }
    json aliases = json::object();
    for (const auto& [alias, alias_config] : config->aliases) aliases[alias] = alias_config.function_version;
    json summary = function_summary(*config);
    summary["configuration"] = control::to_api_json(*config, registry_.account());
    summary["versions"] = std::move(versions);
    summary["aliases"] = std::move(aliases);
    summary["provisioned"] = config->provisioned;
    summary["sandboxes"] = std::move(sandboxes);
    summary["invocations"] = store_->recent_invocations(name, query_limit(target, 25, 500));
    summary["recent"] = recent_json(store_->recent_summary(name, now_ms() - kRecentWindowMs, kRecentCap));
    summary["nowMs"] = now_ms();
    return summary;
}

json UiApi::timeline(const api::RequestTarget& target) {
    const std::size_t limit = query_limit(target, 3000, 20000);
    const auto run = query_int(target, "run", 1, INT64_MAX);
    const auto function = query_text(target, "function");
    if (run.has_value() == function.has_value()) bad_request("give either run=ID or function=NAME");
    const auto& profile = scheduler_.profile();
    const std::int64_t now = now_ms();
    const auto live = scheduler_.sandboxes();

    json out;
    UiStore::Bars bars;
    json sandbox_rows;
    std::int64_t from = 0;
    std::int64_t to = 0;
    if (run) {
        auto brief = store_->run_brief(*run);
        if (!brief) not_found("no run '" + std::to_string(*run) + "'");
        const auto variant = query_text(target, "variant");
        const bool helpers = query_text(target, "helpers").value_or("true") != "false";
        bars = store_->run_bars(*run, variant, helpers, limit);
        from = (*brief)["startedAtMs"].get<std::int64_t>();
        to = (*brief)["endedAtMs"].is_null() ? now : (*brief)["endedAtMs"].get<std::int64_t>();
        out["source"] = {{"run", *brief}, {"variant", variant ? json(*variant) : json(nullptr)}, {"helpers", helpers}};
        sandbox_rows = store_->sandboxes(bars.sandbox_ids);
        merge_live(sandbox_rows, live, std::set<std::string>(bars.sandbox_ids.begin(), bars.sandbox_ids.end()),
                   registry_);
    } else {
        if (function->empty()) bad_request("function must not be empty");
        to = query_int(target, "to", 0, INT64_MAX).value_or(now);
        from = query_int(target, "from", 0, INT64_MAX).value_or(to - kDefaultWindowMs);
        if (from > to) bad_request("from must not be after to");
        if (to - from > kMaxWindowMs) bad_request("a window spans at most 7 days");
        bars = store_->function_bars(*function, from, to, limit);
        // Sandboxes alive in the window though idle in it: they served an invocation before it,
        // within an idle lifetime.
        const std::int64_t lookback = std::min<std::int64_t>(
            kMaxLookbackMs, static_cast<std::int64_t>(model::to_ms(profile.scaled(
                                profile.lifecycle.idle_lifetime + profile.lifecycle.idle_lifetime_spread))));
        std::set<std::string> wanted(bars.sandbox_ids.begin(), bars.sandbox_ids.end());
        for (auto& id : store_->function_sandbox_ids(*function, from - lookback, from, kLookbackRows))
            wanted.insert(id);
        for (const auto& status : live) {
            if (status.function == *function) wanted.insert(status.id);
        }
        const std::set<std::string> with_bars(bars.sandbox_ids.begin(), bars.sandbox_ids.end());
        json rows = store_->sandboxes(std::vector<std::string>(wanted.begin(), wanted.end()));
        sandbox_rows = json::array();
        for (auto& row : rows) {
            const bool overlaps = row["createdAtMs"].get<std::int64_t>() <= to &&
                                  (row["endedAtMs"].is_null() || row["endedAtMs"].get<std::int64_t>() >= from);
            if (overlaps || with_bars.contains(row["id"].get<std::string>())) sandbox_rows.push_back(std::move(row));
        }
        merge_live(sandbox_rows, live, wanted, registry_);
        out["source"] = {{"function", *function}};
    }
    for (const auto& bar : bars.invocations) {
        from = std::min(from, bar["startMs"].get<std::int64_t>());
        to = std::max(to, bar["endMs"].get<std::int64_t>());
    }
    out["from"] = from;
    out["to"] = to;
    out["nowMs"] = now;
    out["limit"] = limit;
    out["truncated"] = bars.truncated;
    out["freezeDelayMs"] = model::to_ms(profile.lifecycle.freeze_delay);
    out["sandboxes"] = std::move(sandbox_rows);
    out["invocations"] = std::move(bars.invocations);
    return out;
}

json UiApi::series(const api::RequestTarget& target) {
    const auto run = query_int(target, "run", 1, INT64_MAX);
    const auto variant = query_text(target, "variant");
    if (!run || !variant) bad_request("run=ID and variant=NAME are required");
    if (!store_->run_brief(*run)) not_found("no run '" + std::to_string(*run) + "'");
    bool truncated = false;
    json columns = store_->series(*run, *variant, query_limit(target, 20000, 100000), truncated);
    const std::size_t count = columns["startMs"].size();
    return {{"run", *run},
            {"variant", *variant},
            {"count", count},
            {"truncated", truncated},
            {"columns", std::move(columns)}};
}

}  // namespace lambdalab::ui
