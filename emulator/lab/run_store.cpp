#include "lab/run_store.hpp"

#include <chrono>
#include <map>

#include "lab/stats.hpp"
#include "store/sqlite.hpp"

namespace lambdalab::lab {

using nlohmann::json;

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json parse_or_null(const std::string& text) {
    if (text.empty()) return nullptr;
    json value = json::parse(text, nullptr, false);
    return value.is_discarded() ? json(text) : value;
}

std::optional<std::string> optional_text(const json& object, const char* key) {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    return object[key].is_string() ? object[key].get<std::string>() : object[key].dump();
}

std::optional<double> optional_number(const json& object, const char* key) {
    if (!object.contains(key) || !object[key].is_number()) return std::nullopt;
    return object[key].get<double>();
}

json column_value(store::Statement& stmt, int column, bool is_text) {
    if (stmt.column_is_null(column)) return nullptr;
    if (is_text) return stmt.column_text(column);
    return stmt.column_double(column);
}

// A response body's top-level fields, for means across a variant's kept responses: numbers as
// they are, objects and arrays by their size, booleans as 0/1.
void add_response_fields(const std::string& body, std::map<std::string, std::pair<double, std::size_t>>& sums) {
    const json value = json::parse(body, nullptr, false);
    if (value.is_discarded() || !value.is_object()) return;
    for (const auto& [key, field] : value.items()) {
        double number = 0;
        if (field.is_number())
            number = field.get<double>();
        else if (field.is_object() || field.is_array())
            number = static_cast<double>(field.size());
        else if (field.is_boolean())
            number = field.get<bool>() ? 1 : 0;
        else
            continue;
        auto& [sum, count] = sums[key];
        sum += number;
        ++count;
    }
}

struct Distribution {
    std::vector<double> all, warm, cold, init, client, late;
    std::map<std::string, std::pair<double, std::size_t>> response_fields;
    std::size_t responses = 0;
    std::size_t samples = 0;
    std::size_t network_errors = 0;
};

}  // namespace

void RunStore::require_run(std::int64_t run) {
    auto stmt = db_.prepare("SELECT 1 FROM runs WHERE id = ?1");
    stmt.bind_all(run);
    if (!stmt.step()) throw RunNotFound("run " + std::to_string(run) + " not found");
}

std::int64_t RunStore::create_run(const NewRun& run) {
    db_.prepare(
           "INSERT INTO runs(name, kind, status, suite, endpoint, environment, started_at_ms) "
           "VALUES(?1, ?2, 'running', ?3, ?4, ?5, ?6)")
        .bind_all(run.name, run.kind, run.suite.dump(), run.endpoint, run.environment.dump(), now_ms())
        .run();
    auto stmt = db_.prepare("SELECT last_insert_rowid()");
    stmt.step();
    return stmt.column_int(0);
}

void RunStore::add_variant(std::int64_t run, const std::string& name, int position, const json& config) {
    require_run(run);
    db_.prepare(
           "INSERT INTO variants(run_id, name, position, config, status) VALUES(?1, ?2, ?3, ?4, 'pending') "
           "ON CONFLICT(run_id, name) DO UPDATE SET position = excluded.position, config = excluded.config")
        .bind_all(run, name, position, config.dump())
        .run();
}

void RunStore::update_variant(std::int64_t run, const std::string& name, const json& fields) {
    // A write transaction from the start: a read left open before a write fails at once (a stale WAL
    // snapshot) instead of waiting for the emulator's writer.
    db_.exec("BEGIN IMMEDIATE");
    try {
        bool exists = false;
        {
            auto stmt = db_.prepare("SELECT 1 FROM variants WHERE run_id = ?1 AND name = ?2");
            stmt.bind_all(run, name);
            exists = stmt.step();
        }
        if (!exists) throw RunNotFound("run " + std::to_string(run) + " has no variant '" + name + "'");
        const auto set = [&](const char* column, const json& value) {
            auto stmt =
                db_.prepare(std::string("UPDATE variants SET ") + column + " = ?3 WHERE run_id = ?1 AND name = ?2");
            stmt.bind_all(run, name);
            if (value.is_null())
                stmt.bind_null(3);
            else if (value.is_number_integer())
                stmt.bind(3, value.get<std::int64_t>());
            else if (value.is_string())
                stmt.bind(3, value.get<std::string>());
            else
                stmt.bind(3, value.dump());
            stmt.run();
        };
        if (fields.contains("status")) set("status", fields["status"]);
        if (fields.contains("message")) set("message", fields["message"]);
        if (fields.contains("result")) set("result", fields["result"].dump());
        if (fields.contains("startedAtMs")) set("started_at_ms", fields["startedAtMs"]);
        if (fields.contains("endedAtMs")) set("ended_at_ms", fields["endedAtMs"]);
        db_.exec("COMMIT");
    } catch (...) {
        db_.exec("ROLLBACK");
        throw;
    }
}

std::size_t RunStore::add_samples(std::int64_t run, const json& samples) {
    require_run(run);
    db_.exec("BEGIN IMMEDIATE");
    try {
        auto& insert = db_.cached(
            "INSERT INTO client_samples(run_id, variant, repetition, seq, request_id, sent_at_ms, scheduled_ms, "
            "late_ms, "
            "client_ms, attempts, http_status, outcome, error_type, report_duration_ms, report_billed_ms, "
            "report_init_ms, "
            "response) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
        for (const auto& s : samples) {
            insert.reset();
            insert.bind_all(run, s.value("variant", ""), s.value("repetition", 0), s.value("seq", 0),
                            optional_text(s, "request_id"), s.value("sent_at_ms", 0.0),
                            optional_number(s, "scheduled_ms"), optional_number(s, "late_ms"),
                            optional_number(s, "client_ms"), s.value("attempts", 1), optional_number(s, "http_status"),
                            s.value("outcome", "success"), optional_text(s, "error_type"),
                            optional_number(s, "report_duration_ms"), optional_number(s, "report_billed_ms"),
                            optional_number(s, "report_init_ms"), optional_text(s, "response"));
            insert.run();
        }
        db_.exec("COMMIT");
    } catch (...) {
        db_.exec("ROLLBACK");
        throw;
    }
    return samples.size();
}

void RunStore::finish_run(std::int64_t run, const json& fields) {
    require_run(run);
    const json stats = compute_stats(run);
    const std::int64_t count = invocation_count(run);
    db_.exec("BEGIN IMMEDIATE");
    try {
        db_.prepare(
               "UPDATE runs SET status = ?2, headline = ?3, result = ?4, message = ?5, invocations = ?6, "
               "ended_at_ms = ?7 WHERE id = ?1")
            .bind_all(run, fields.value("status", "complete"), optional_text(fields, "headline"),
                      fields.contains("result") && !fields["result"].is_null() ? std::optional(fields["result"].dump())
                                                                               : std::nullopt,
                      optional_text(fields, "message"), count, now_ms())
            .run();
        for (const auto& [name, value] : stats.items()) {
            db_.prepare("UPDATE variants SET stats = ?3 WHERE run_id = ?1 AND name = ?2")
                .bind_all(run, name, value.dump())
                .run();
        }
        // Variants still marked running were cut short.
        db_.prepare("UPDATE variants SET status = 'incomplete' WHERE run_id = ?1 AND status = 'running'")
            .bind_all(run)
            .run();
        db_.exec("COMMIT");
    } catch (...) {
        db_.exec("ROLLBACK");
        throw;
    }
}

json RunStore::list_runs(std::size_t limit) {
    auto stmt = db_.prepare(
        "SELECT id, name, kind, status, headline, started_at_ms, ended_at_ms, invocations, "
        "(SELECT count(*) FROM variants WHERE run_id = runs.id), endpoint "
        "FROM runs ORDER BY id DESC LIMIT ?1");
    stmt.bind_all(static_cast<std::int64_t>(limit));
    json out = json::array();
    while (stmt.step()) {
        out.push_back({{"id", stmt.column_int(0)},
                       {"name", stmt.column_text(1)},
                       {"kind", stmt.column_text(2)},
                       {"status", stmt.column_text(3)},
                       {"headline", column_value(stmt, 4, true)},
                       {"startedAtMs", stmt.column_int(5)},
                       {"endedAtMs", stmt.column_is_null(6) ? json(nullptr) : json(stmt.column_int(6))},
                       {"invocations", stmt.column_is_null(7) ? json(nullptr) : json(stmt.column_int(7))},
                       {"variants", stmt.column_int(8)},
                       {"endpoint", column_value(stmt, 9, true)}});
    }
    return out;
}

json RunStore::run(std::int64_t id, bool with_stats) {
    auto stmt = db_.prepare(
        "SELECT id, name, kind, status, suite, endpoint, environment, headline, result, message, invocations, "
        "started_at_ms, ended_at_ms FROM runs WHERE id = ?1");
    stmt.bind_all(id);
    if (!stmt.step()) throw RunNotFound("run " + std::to_string(id) + " not found");
    json out = {{"id", stmt.column_int(0)},
                {"name", stmt.column_text(1)},
                {"kind", stmt.column_text(2)},
                {"status", stmt.column_text(3)},
                {"suite", parse_or_null(stmt.column_text(4))},
                {"endpoint", column_value(stmt, 5, true)},
                {"environment", parse_or_null(stmt.column_text(6))},
                {"headline", column_value(stmt, 7, true)},
                {"result", parse_or_null(stmt.column_text(8))},
                {"message", column_value(stmt, 9, true)},
                {"invocations", stmt.column_is_null(10) ? json(nullptr) : json(stmt.column_int(10))},
                {"startedAtMs", stmt.column_int(11)},
                {"endedAtMs", stmt.column_is_null(12) ? json(nullptr) : json(stmt.column_int(12))}};
    const bool running = out["status"] == "running";
    if (running) out["invocations"] = invocation_count(id);

    auto variants = db_.prepare(
        "SELECT name, position, config, status, message, result, stats, started_at_ms, ended_at_ms "
        "FROM variants WHERE run_id = ?1 ORDER BY position, name");
    variants.bind_all(id);
    json list = json::array();
    bool missing_stats = false;
    while (variants.step()) {
        json v = {{"name", variants.column_text(0)},
                  {"position", variants.column_int(1)},
                  {"config", parse_or_null(variants.column_text(2))},
                  {"status", variants.column_text(3)},
                  {"message", column_value(variants, 4, true)},
                  {"result", parse_or_null(variants.column_text(5))},
                  {"startedAtMs", variants.column_is_null(7) ? json(nullptr) : json(variants.column_int(7))},
                  {"endedAtMs", variants.column_is_null(8) ? json(nullptr) : json(variants.column_int(8))}};
        if (with_stats && !running && !variants.column_is_null(6)) v["stats"] = parse_or_null(variants.column_text(6));
        if (with_stats && !v.contains("stats")) missing_stats = true;
        list.push_back(std::move(v));
    }
    if (missing_stats) {
        json computed;
        const json* stats_of = &computed;
        if (running) {
            CachedStats& cached = live_stats_[id];
            auto samples = db_.prepare("SELECT count(*) FROM client_samples WHERE run_id = ?1");
            samples.bind_all(id);
            // Rows and samples only ever grow: the same counts mean the same statistics.
            const std::pair<std::int64_t, std::int64_t> counts{out["invocations"].get<std::int64_t>(),
                                                               samples.step() ? samples.column_int(0) : 0};
            if (counts != cached.counts || now_ms() - cached.at_ms > 1000)
                cached = {now_ms(), counts, compute_stats(id)};
            stats_of = &cached.stats;
        } else {
            live_stats_.erase(id);
            computed = compute_stats(id);
        }
        const json& stats = *stats_of;
        for (auto& v : list) {
            if (!v.contains("stats")) v["stats"] = stats.value(v["name"].get<std::string>(), json::object());
        }
    }
    out["variants"] = std::move(list);
    return out;
}

std::int64_t RunStore::invocation_count(std::int64_t run) {
    auto stmt = db_.prepare("SELECT count(*) FROM invocations WHERE run_id = ?1");
    stmt.bind_all(std::to_string(run));
    return stmt.step() ? stmt.column_int(0) : 0;
}

json RunStore::compute_stats(std::int64_t run) {
    const std::string run_key = std::to_string(run);
    json out = json::object();
    std::map<std::string, bool> registered;
    {
        auto names = db_.prepare("SELECT name FROM variants WHERE run_id = ?1");
        names.bind_all(run);
        while (names.step()) registered[names.column_text(0)] = true;
    }
    for (const auto& [name, unused] : registered) {
        out[name] = {{"invocations", 0}, {"succeeded", 0}, {"errors", 0},     {"functionErrors", 0}, {"timeouts", 0},
                     {"rejected", 0},    {"throttles", 0}, {"coldStarts", 0}, {"provisioned", 0}};
    }

    // Counts and sums, grouped by SQL over the (run_id, variant) index.
    auto counts = db_.prepare(
        "SELECT variant, count(*), sum(status = 'success'), sum(status = 'error'), sum(status = 'timeout'), "
        "sum(status = 'rejected'), sum(status = 'throttled'), sum(cold), sum(provisioned), sum(cost_usd), "
        "avg(billed_duration_ms) FILTER (WHERE status IN ('success', 'error', 'timeout')), max(max_memory_used_mb), "
        "max(memory_size_mb) FROM invocations WHERE run_id = ?1 GROUP BY variant");
    counts.bind_all(run_key);
    while (counts.step()) {
        const std::string name = counts.column_text(0);
        if (!registered.contains(name)) continue;
        json& s = out[name];
        const std::int64_t function_errors = counts.column_int(3);
        const std::int64_t timeouts = counts.column_int(4);
        const std::int64_t rejected = counts.column_int(5);
        s["invocations"] = counts.column_int(1);
        s["succeeded"] = counts.column_int(2);
        s["functionErrors"] = function_errors;
        s["timeouts"] = timeouts;
        s["rejected"] = rejected;
        s["errors"] = function_errors + timeouts + rejected;
        s["throttles"] = counts.column_int(6);
        s["coldStarts"] = counts.column_int(7);
        s["provisioned"] = counts.column_int(8);
        const double total_cost = counts.column_double(9);
        const std::int64_t ran = counts.column_int(2) + function_errors + timeouts;
        s["cost"] = {{"total", total_cost},
                     {"perInvocation", ran ? total_cost / static_cast<double>(ran) : 0.0},
                     {"perMillion", ran ? total_cost / static_cast<double>(ran) * 1e6 : 0.0}};
        if (!counts.column_is_null(10)) s["billedDurationMean"] = counts.column_double(10);
        s["maxMemoryUsedMb"] = counts.column_int(11);
        s["memorySizeMb"] = counts.column_int(12);
    }

    // Distributions: every invocation that ran, split into warm and cold.
    std::map<std::string, Distribution> distributions;
    auto rows = db_.prepare(
        "SELECT variant, cold, duration_ms, init_duration_ms FROM invocations "
        "WHERE run_id = ?1 AND status IN ('success', 'error', 'timeout')");
    rows.bind_all(run_key);
    while (rows.step()) {
        const std::string name = rows.column_text(0);
        if (!registered.contains(name)) continue;
        Distribution& d = distributions[name];
        const double duration = rows.column_double(2);
        d.all.push_back(duration);
        if (rows.column_int(1) != 0) {
            d.cold.push_back(duration);
            if (!rows.column_is_null(3)) d.init.push_back(rows.column_double(3));
        } else {
            d.warm.push_back(duration);
        }
    }
    auto samples =
        db_.prepare("SELECT variant, client_ms, outcome, late_ms, response FROM client_samples WHERE run_id = ?1");
    samples.bind_all(run);
    while (samples.step()) {
        const std::string name = samples.column_text(0);
        if (!registered.contains(name)) continue;
        Distribution& d = distributions[name];
        ++d.samples;
        const std::string outcome = samples.column_text(2);
        if (outcome == "network")
            ++d.network_errors;
        else if (!samples.column_is_null(1))
            d.client.push_back(samples.column_double(1));
        if (!samples.column_is_null(3)) d.late.push_back(samples.column_double(3));
        if (!samples.column_is_null(4)) {
            ++d.responses;
            add_response_fields(samples.column_text(4), d.response_fields);
        }
    }
    for (auto& [name, d] : distributions) {
        json& s = out[name];
        s["duration"] = to_json(summarize(std::move(d.all)));
        s["warmDuration"] = to_json(summarize(std::move(d.warm)));
        s["coldDuration"] = to_json(summarize(std::move(d.cold)));
        s["initDuration"] = to_json(summarize(std::move(d.init)));
        s["clientLatency"] = to_json(summarize(std::move(d.client)));
        s["client"] = {{"samples", d.samples},
                       {"networkErrors", d.network_errors},
                       {"lateness", to_json(summarize(std::move(d.late)))}};
        if (d.responses > 0) {
            json fields = json::object();
            for (const auto& [key, sum_count] : d.response_fields)
                fields[key] = sum_count.first / static_cast<double>(sum_count.second);
            s["responses"] = {{"count", d.responses}, {"fields", fields}};
        }
    }
    return out;
}

namespace {
const std::vector<std::pair<std::string, bool>>& invocation_columns() {
    // name, is text
    static const std::vector<std::pair<std::string, bool>> columns = {{"id", false},
                                                                      {"request_id", true},
                                                                      {"function", true},
                                                                      {"version", true},
                                                                      {"invocation_type", true},
                                                                      {"sandbox_id", true},
                                                                      {"cold", false},
                                                                      {"status", true},
                                                                      {"error_type", true},
                                                                      {"start_time_ms", false},
                                                                      {"end_time_ms", false},
                                                                      {"init_duration_ms", false},
                                                                      {"duration_ms", false},
                                                                      {"billed_duration_ms", false},
                                                                      {"memory_size_mb", false},
                                                                      {"max_memory_used_mb", false},
                                                                      {"boot_ms", false},
                                                                      {"code_download_ms", false},
                                                                      {"vpc_setup_ms", false},
                                                                      {"cost_usd", false},
                                                                      {"profile", true},
                                                                      {"architecture", true},
                                                                      {"runtime_start_ms", false},
                                                                      {"function_init_ms", false},
                                                                      {"resource_control", true},
                                                                      {"cpu_limited_by_host", false},
                                                                      {"provisioned", false},
                                                                      {"run_id", true},
                                                                      {"variant", true}};
    return columns;
}

const std::vector<std::pair<std::string, bool>>& sample_columns() {
    static const std::vector<std::pair<std::string, bool>> columns = {{"id", false},
                                                                      {"variant", true},
                                                                      {"repetition", false},
                                                                      {"seq", false},
                                                                      {"request_id", true},
                                                                      {"sent_at_ms", false},
                                                                      {"scheduled_ms", false},
                                                                      {"late_ms", false},
                                                                      {"client_ms", false},
                                                                      {"attempts", false},
                                                                      {"http_status", false},
                                                                      {"outcome", true},
                                                                      {"error_type", true},
                                                                      {"report_duration_ms", false},
                                                                      {"report_billed_ms", false},
                                                                      {"report_init_ms", false},
                                                                      {"response", true}};
    return columns;
}

json page(store::Connection& db, const std::string& table, const std::vector<std::pair<std::string, bool>>& columns,
          const std::string& run_key, const std::optional<std::string>& variant, std::int64_t after, std::size_t limit,
          bool run_is_text) {
    std::string list;
    for (const auto& [name, text] : columns) list += (list.empty() ? "" : ", ") + name;
    std::string sql = "SELECT " + list + " FROM " + table + " WHERE run_id = ?1 AND id > ?2";
    if (variant) sql += " AND variant = ?4";
    sql += " ORDER BY id LIMIT ?3";
    auto stmt = db.prepare(sql);
    if (run_is_text)
        stmt.bind(1, run_key);
    else
        stmt.bind(1, static_cast<std::int64_t>(std::stoll(run_key)));
    stmt.bind(2, after).bind(3, static_cast<std::int64_t>(limit));
    if (variant) stmt.bind(4, *variant);
    json rows = json::array();
    while (stmt.step()) {
        json row = json::object();
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const int column = static_cast<int>(i);
            const auto& [name, text] = columns[i];
            if (stmt.column_is_null(column))
                row[name] = nullptr;
            else if (text)
                row[name] = stmt.column_text(column);
            else {
                const double value = stmt.column_double(column);
                if (value == static_cast<double>(static_cast<std::int64_t>(value)))
                    row[name] = static_cast<std::int64_t>(value);
                else
                    row[name] = value;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}
}  // namespace

json RunStore::invocations(std::int64_t run, const std::optional<std::string>& variant, std::int64_t after,
                           std::size_t limit) {
    require_run(run);
    return page(db_, "invocations", invocation_columns(), std::to_string(run), variant, after, limit, true);
}

json RunStore::samples(std::int64_t run, const std::optional<std::string>& variant, std::int64_t after,
                       std::size_t limit) {
    require_run(run);
    return page(db_, "client_samples", sample_columns(), std::to_string(run), variant, after, limit, false);
}

}  // namespace lambdalab::lab
