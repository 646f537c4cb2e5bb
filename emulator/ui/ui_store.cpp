#include "ui/ui_store.hpp"

#include <algorithm>
#include <unordered_set>

#include "store/sqlite.hpp"

namespace lambdalab::ui {

using nlohmann::json;

namespace {

// The invocation columns a bar or a table row shows, in this order (see invocation_row).
constexpr const char* kInvocationColumns =
    "id, request_id, function, variant, sandbox_id, cold, status, error_type, start_time_ms, end_time_ms, "
    "duration_ms, billed_duration_ms, init_duration_ms, boot_ms, code_download_ms, vpc_setup_ms, runtime_start_ms, "
    "function_init_ms, memory_size_mb, max_memory_used_mb, cost_usd, provisioned, invocation_type, run_id";

json text_or_null(const store::Statement& stmt, int column) {
    return stmt.column_is_null(column) ? json(nullptr) : json(stmt.column_text(column));
}

json real_or_null(const store::Statement& stmt, int column) {
    return stmt.column_is_null(column) ? json(nullptr) : json(stmt.column_double(column));
}

json int_or_null(const store::Statement& stmt, int column) {
    return stmt.column_is_null(column) ? json(nullptr) : json(stmt.column_int(column));
}

json invocation_row(const store::Statement& stmt) {
    return {{"id", stmt.column_int(0)},
            {"requestId", stmt.column_text(1)},
            {"function", stmt.column_text(2)},
            {"variant", text_or_null(stmt, 3)},
            {"sandboxId", text_or_null(stmt, 4)},
            {"cold", stmt.column_int(5) != 0},
            {"status", stmt.column_text(6)},
            {"errorType", text_or_null(stmt, 7)},
            {"startMs", stmt.column_int(8)},
            {"endMs", stmt.column_int(9)},
            {"durationMs", stmt.column_double(10)},
            {"billedMs", stmt.column_int(11)},
            {"initMs", real_or_null(stmt, 12)},
            {"bootMs", real_or_null(stmt, 13)},
            {"downloadMs", real_or_null(stmt, 14)},
            {"vpcMs", real_or_null(stmt, 15)},
            {"runtimeStartMs", real_or_null(stmt, 16)},
            {"functionInitMs", real_or_null(stmt, 17)},
            {"memoryMb", stmt.column_int(18)},
            {"maxMemoryUsedMb", stmt.column_int(19)},
            {"costUsd", stmt.column_double(20)},
            {"provisioned", stmt.column_int(21) != 0},
            {"invocationType", stmt.column_text(22)},
            {"runId", text_or_null(stmt, 23)}};
}

// Reads up to `limit` rows; one more tells whether there were more.
UiStore::Bars read_bars(store::Statement& stmt, std::size_t limit) {
    UiStore::Bars bars;
    std::unordered_set<std::string> seen;
    while (stmt.step()) {
        if (bars.invocations.size() == limit) {
            bars.truncated = true;
            break;
        }
        json row = invocation_row(stmt);
        if (row["sandboxId"].is_string()) {
            const std::string id = row["sandboxId"].get<std::string>();
            if (seen.insert(id).second) bars.sandbox_ids.push_back(id);
        }
        bars.invocations.push_back(std::move(row));
    }
    return bars;
}

std::int64_t as_int(std::size_t value) {
    return static_cast<std::int64_t>(value);
}

}  // namespace

UiStore::UiStore(const std::filesystem::path& database)
    : db_(std::make_unique<store::Connection>(database.string(), /*read_only=*/true)) {}

UiStore::~UiStore() = default;

RecentSummary UiStore::recent_summary(const std::string& function, std::int64_t since_ms, std::size_t cap) {
    auto stmt = db_->prepare(
        "SELECT count(*), total(status IN ('error', 'timeout')), total(status = 'throttled'), total(cold), "
        "max(start_time_ms) FROM (SELECT status, cold, start_time_ms FROM invocations "
        "WHERE function = ?1 AND start_time_ms >= ?2 ORDER BY start_time_ms DESC LIMIT ?3)");
    stmt.bind_all(function, since_ms, as_int(cap));
    RecentSummary out;
    if (stmt.step()) {
        out.invocations = stmt.column_int(0);
        out.errors = static_cast<std::int64_t>(stmt.column_double(1));
        out.throttles = static_cast<std::int64_t>(stmt.column_double(2));
        out.cold_starts = static_cast<std::int64_t>(stmt.column_double(3));
        if (!stmt.column_is_null(4)) out.last_at_ms = stmt.column_int(4);
        out.capped = out.invocations >= as_int(cap);
    }
    if (!out.last_at_ms) {
        // Nothing recent: when was it last invoked at all (the newest entry of the same index)?
        auto last = db_->prepare(
            "SELECT start_time_ms FROM invocations WHERE function = ?1 ORDER BY start_time_ms DESC LIMIT 1");
        last.bind_all(function);
        if (last.step()) out.last_at_ms = last.column_int(0);
    }
    return out;
}

json UiStore::recent_invocations(const std::string& function, std::size_t limit) {
    auto stmt = db_->prepare(std::string("SELECT ") + kInvocationColumns +
                             " FROM invocations WHERE function = ?1 ORDER BY start_time_ms DESC, id DESC LIMIT ?2");
    stmt.bind_all(function, as_int(limit));
    json rows = json::array();
    while (stmt.step()) rows.push_back(invocation_row(stmt));
    return rows;
}

json UiStore::logs(const std::string& function, std::size_t limit) {
    auto stmt = db_->prepare(
        "SELECT id, sandbox_id, request_id, timestamp_ms, message FROM "
        "(SELECT * FROM logs WHERE function = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id");
    stmt.bind_all(function, as_int(limit));
    json rows = json::array();
    while (stmt.step()) {
        rows.push_back({{"id", stmt.column_int(0)},
                        {"sandboxId", stmt.column_text(1)},
                        {"requestId", text_or_null(stmt, 2)},
                        {"timestampMs", stmt.column_int(3)},
                        {"message", stmt.column_text(4)}});
    }
    return rows;
}

std::optional<json> UiStore::run_brief(std::int64_t run) {
    auto stmt = db_->prepare("SELECT id, name, kind, status, started_at_ms, ended_at_ms FROM runs WHERE id = ?1");
    stmt.bind_all(run);
    if (!stmt.step()) return std::nullopt;
    return json{{"id", stmt.column_int(0)},          {"name", stmt.column_text(1)},
                {"kind", stmt.column_text(2)},       {"status", stmt.column_text(3)},
                {"startedAtMs", stmt.column_int(4)}, {"endedAtMs", int_or_null(stmt, 5)}};
}

UiStore::Bars UiStore::run_bars(std::int64_t run, const std::optional<std::string>& variant, bool with_helpers,
                                std::size_t limit) {
    // invocations.run_id is text (the X-Lambdalab-Run-Id header); the (run_id, variant) index serves both.
    std::string sql = std::string("SELECT ") + kInvocationColumns + " FROM invocations WHERE run_id = ?1";
    if (variant) sql += with_helpers ? " AND variant IN (?3, ?3 || '/warmup', ?3 || '/warmer')" : " AND variant = ?3";
    sql += " ORDER BY start_time_ms, id LIMIT ?2";
    auto stmt = db_->prepare(sql);
    stmt.bind(1, std::to_string(run)).bind(2, as_int(limit + 1));
    if (variant) stmt.bind(3, *variant);
    return read_bars(stmt, limit);
}

UiStore::Bars UiStore::function_bars(const std::string& function, std::int64_t from_ms, std::int64_t to_ms,
                                     std::size_t limit) {
    // Newest first, so a busy window keeps its latest invocations; turned back into start order.
    auto stmt = db_->prepare(std::string("SELECT ") + kInvocationColumns +
                             " FROM invocations WHERE function = ?1 AND start_time_ms BETWEEN ?2 AND ?3 "
                             "ORDER BY start_time_ms DESC, id DESC LIMIT ?4");
    stmt.bind_all(function, from_ms, to_ms, as_int(limit + 1));
    Bars bars = read_bars(stmt, limit);
    std::reverse(bars.invocations.begin(), bars.invocations.end());
    std::reverse(bars.sandbox_ids.begin(), bars.sandbox_ids.end());
    return bars;
}

std::vector<std::string> UiStore::function_sandbox_ids(const std::string& function, std::int64_t from_ms,
                                                       std::int64_t to_ms, std::size_t limit) {
    auto stmt = db_->prepare(
        "SELECT DISTINCT sandbox_id FROM (SELECT sandbox_id FROM invocations WHERE function = ?1 "
        "AND start_time_ms BETWEEN ?2 AND ?3 AND sandbox_id IS NOT NULL ORDER BY start_time_ms DESC LIMIT ?4)");
    stmt.bind_all(function, from_ms, to_ms, as_int(limit));
    std::vector<std::string> ids;
    while (stmt.step()) ids.push_back(stmt.column_text(0));
    return ids;
}

json UiStore::sandboxes(const std::vector<std::string>& ids) {
    auto stmt = db_->prepare(
        "SELECT id, function, version, memory_size_mb, pid, created_at_ms, ended_at_ms, end_reason, log_stream "
        "FROM sandboxes WHERE id = ?1");
    json rows = json::array();
    for (const auto& id : ids) {
        stmt.reset();
        stmt.bind(1, id);
        if (!stmt.step()) continue;
        rows.push_back({{"id", stmt.column_text(0)},
                        {"function", stmt.column_text(1)},
                        {"version", stmt.column_text(2)},
                        {"memoryMb", stmt.column_int(3)},
                        {"pid", int_or_null(stmt, 4)},
                        {"createdAtMs", stmt.column_int(5)},
                        {"endedAtMs", int_or_null(stmt, 6)},
                        {"endReason", text_or_null(stmt, 7)},
                        {"logStream", stmt.column_text(8)}});
    }
    return rows;
}

json UiStore::series(std::int64_t run, const std::string& variant, std::size_t limit, bool& truncated) {
    auto stmt = db_->prepare(
        "SELECT start_time_ms, end_time_ms, duration_ms, init_duration_ms, cold, status, billed_duration_ms, "
        "boot_ms, code_download_ms, vpc_setup_ms, runtime_start_ms, function_init_ms, cost_usd "
        "FROM invocations WHERE run_id = ?1 AND variant = ?2 ORDER BY start_time_ms, id LIMIT ?3");
    stmt.bind_all(std::to_string(run), variant, as_int(limit + 1));
    static const char* const kNames[] = {"startMs",        "endMs",          "durationMs", "initMs",     "cold",
                                         "status",         "billedMs",       "bootMs",     "downloadMs", "vpcMs",
                                         "runtimeStartMs", "functionInitMs", "costUsd"};
    json columns = json::object();
    for (const char* name : kNames) columns[name] = json::array();
    std::size_t rows = 0;
    truncated = false;
    while (stmt.step()) {
        if (rows == limit) {
            truncated = true;
            break;
        }
        ++rows;
        columns["startMs"].push_back(stmt.column_int(0));
        columns["endMs"].push_back(stmt.column_int(1));
        columns["durationMs"].push_back(stmt.column_double(2));
        columns["initMs"].push_back(real_or_null(stmt, 3));
        columns["cold"].push_back(stmt.column_int(4));
        columns["status"].push_back(stmt.column_text(5));
        columns["billedMs"].push_back(stmt.column_int(6));
        columns["bootMs"].push_back(real_or_null(stmt, 7));
        columns["downloadMs"].push_back(real_or_null(stmt, 8));
        columns["vpcMs"].push_back(real_or_null(stmt, 9));
        columns["runtimeStartMs"].push_back(real_or_null(stmt, 10));
        columns["functionInitMs"].push_back(real_or_null(stmt, 11));
        columns["costUsd"].push_back(stmt.column_double(12));
    }
    return columns;
}

}  // namespace lambdalab::ui
