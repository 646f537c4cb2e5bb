#include "store/store.hpp"

#include <cstdio>

#include "store/schema.hpp"
#include "store/sqlite.hpp"

namespace lambdalab::store {

namespace {

std::unique_ptr<Connection> open_and_migrate(const std::filesystem::path& path) {
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
    auto db = std::make_unique<Connection>(path.string());
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA foreign_keys=ON");
    migrate(*db);
    return db;
}

std::int64_t epoch_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr std::size_t kMaxBatch = 2000;
constexpr std::size_t kWakeBacklog = 512;
constexpr std::chrono::milliseconds kBatchInterval{20};

}  // namespace

StoreReader::StoreReader(const std::filesystem::path& path)
    : db_(std::make_unique<Connection>(path.string(), /*read_only=*/true)) {}

StoreReader::~StoreReader() = default;

std::vector<FunctionRow> StoreReader::functions() {
    std::lock_guard lock(mutex_);
    // $LATEST first, then versions in publication order.
    auto stmt = db_->prepare(
        "SELECT name, version, config FROM functions ORDER BY name, version != '$LATEST', CAST(version AS INTEGER)");
    std::vector<FunctionRow> rows;
    while (stmt.step()) rows.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2)});
    return rows;
}

std::vector<LogRecord> StoreReader::logs(const std::string& function, std::size_t limit) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT function, sandbox_id, request_id, timestamp_ms, message FROM "
        "(SELECT * FROM logs WHERE function = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id");
    stmt.bind_all(function, static_cast<std::int64_t>(limit));
    std::vector<LogRecord> rows;
    while (stmt.step()) {
        rows.push_back(
            {stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_int(3), stmt.column_text(4)});
    }
    return rows;
}

std::vector<InvocationRecord> StoreReader::invocations(const std::string& function, std::size_t limit) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT request_id, function, version, invocation_type, sandbox_id, cold, status, error_type, "
        "start_time_ms, end_time_ms, init_duration_ms, duration_ms, billed_duration_ms, memory_size_mb, "
        "max_memory_used_mb, boot_ms, code_download_ms, vpc_setup_ms, cost_usd, profile, architecture "
        "FROM invocations WHERE function = ?1 ORDER BY start_time_ms DESC LIMIT ?2");
    stmt.bind_all(function, static_cast<std::int64_t>(limit));
    std::vector<InvocationRecord> rows;
    auto optional_double = [&](int column) -> std::optional<double> {
        if (stmt.column_is_null(column)) return std::nullopt;
        return stmt.column_double(column);
    };
    while (stmt.step()) {
        InvocationRecord r;
        r.request_id = stmt.column_text(0);
        r.function = stmt.column_text(1);
        r.version = stmt.column_text(2);
        r.invocation_type = stmt.column_text(3);
        r.sandbox_id = stmt.column_text(4);
        r.cold = stmt.column_int(5) != 0;
        r.status = stmt.column_text(6);
        r.error_type = stmt.column_text(7);
        r.start_time_ms = stmt.column_int(8);
        r.end_time_ms = stmt.column_int(9);
        r.init_duration_ms = optional_double(10);
        r.duration_ms = stmt.column_double(11);
        r.billed_duration_ms = stmt.column_int(12);
        r.memory_size_mb = static_cast<int>(stmt.column_int(13));
        r.max_memory_used_mb = static_cast<int>(stmt.column_int(14));
        r.boot_ms = optional_double(15);
        r.code_download_ms = optional_double(16);
        r.vpc_setup_ms = optional_double(17);
        r.cost_usd = stmt.column_double(18);
        r.profile = stmt.column_text(19);
        r.architecture = stmt.column_text(20);
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<AsyncEventRow> StoreReader::async_events() {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT request_id, function, qualifier, payload, trace_id, accepted_at_ms, attempts, function_errors, "
        "next_attempt_at_ms FROM async_events ORDER BY id");
    std::vector<AsyncEventRow> rows;
    while (stmt.step()) {
        rows.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                        stmt.column_text(4), stmt.column_int(5), static_cast<int>(stmt.column_int(6)),
                        static_cast<int>(stmt.column_int(7)), stmt.column_int(8)});
    }
    return rows;
}

std::vector<DeadLetterRow> StoreReader::dead_letters(const std::string& function) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare(
        "SELECT request_id, function, condition, destination, record, created_at_ms FROM dead_letters "
        "WHERE function = ?1 ORDER BY id");
    stmt.bind_all(function);
    std::vector<DeadLetterRow> rows;
    while (stmt.step()) {
        rows.push_back({stmt.column_text(0), stmt.column_text(1), stmt.column_text(2), stmt.column_text(3),
                        stmt.column_text(4), stmt.column_int(5)});
    }
    return rows;
}

std::int64_t StoreReader::invocation_count(const std::string& function) {
    std::lock_guard lock(mutex_);
    auto stmt = db_->prepare("SELECT count(*) FROM invocations WHERE function = ?1");
    stmt.bind_all(function);
    return stmt.step() ? stmt.column_int(0) : 0;
}

Store::Store(std::filesystem::path path)
    : path_(std::move(path)),
      db_(open_and_migrate(path_)),
      writer_({.interval = kBatchInterval, .wake_backlog = kWakeBacklog, .max_batch = kMaxBatch},
              [this](const std::vector<Write>& batch) { run_writes(batch); }),
      reader_(path_) {}

Store::~Store() = default;

void Store::flush() {
    writer_.flush();
}

void Store::run_writes(const std::vector<Write>& batch) {
    try {
        db_->exec("BEGIN IMMEDIATE");
        for (auto& write : batch) {
            try {
                write(*db_);
            } catch (const SqliteError& e) {
                // One bad record must not lose the batch; the rest still commits.
                std::fprintf(stderr, "lambdalab: store: %s\n", e.what());
            }
        }
        db_->exec("COMMIT");
    } catch (const SqliteError& e) {
        // The disk is full or the file is gone: say so and keep serving; the records are lost.
        std::fprintf(stderr, "lambdalab: store: batch of %zu records not written: %s\n", batch.size(), e.what());
        try {
            db_->exec("ROLLBACK");
        } catch (const SqliteError&) {
        }
    }
}

void Store::save_function(const std::string& name, const std::string& version, const std::string& config_json) {
    enqueue([name, version, config_json, at = epoch_ms_now()](Connection& db) {
        db.cached(
              "INSERT INTO functions(name, version, config, updated_at_ms) VALUES(?1, ?2, ?3, ?4) "
              "ON CONFLICT(name, version) DO UPDATE SET config = excluded.config, updated_at_ms = "
              "excluded.updated_at_ms")
            .bind_all(name, version, config_json, at)
            .run();
    });
    flush();
}

void Store::delete_function(const std::string& name) {
    enqueue([name](Connection& db) { db.cached("DELETE FROM functions WHERE name = ?1").bind_all(name).run(); });
    flush();
}

void Store::delete_function_version(const std::string& name, const std::string& version) {
    enqueue([name, version](Connection& db) {
        db.cached("DELETE FROM functions WHERE name = ?1 AND version = ?2").bind_all(name, version).run();
    });
    flush();
}

void Store::save_async_event(const AsyncEventRow& r) {
    enqueue([r](Connection& db) {
        db.cached(
              "INSERT OR REPLACE INTO async_events(request_id, function, qualifier, payload, trace_id, accepted_at_ms, "
              "attempts, function_errors, next_attempt_at_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)")
            .bind_all(r.request_id, r.function, r.qualifier, r.payload, r.trace_id, r.accepted_at_ms, r.attempts,
                      r.function_errors, r.next_attempt_at_ms)
            .run();
    });
    flush();
}

void Store::update_async_event(const AsyncEventRow& r) {
    enqueue([r](Connection& db) {
        db.cached(
              "UPDATE async_events SET attempts = ?2, function_errors = ?3, next_attempt_at_ms = ?4 WHERE request_id = "
              "?1")
            .bind_all(r.request_id, r.attempts, r.function_errors, r.next_attempt_at_ms)
            .run();
    });
}

void Store::delete_async_event(const std::string& request_id) {
    enqueue([request_id](Connection& db) {
        db.cached("DELETE FROM async_events WHERE request_id = ?1").bind_all(request_id).run();
    });
}

void Store::record_dead_letter(DeadLetterRow r) {
    enqueue([r = std::move(r)](Connection& db) {
        db.cached(
              "INSERT INTO dead_letters(request_id, function, condition, destination, record, created_at_ms) "
              "VALUES(?1,?2,?3,?4,?5,?6)")
            .bind_all(r.request_id, r.function, r.condition,
                      r.destination.empty() ? std::optional<std::string>{} : r.destination, r.record, r.created_at_ms)
            .run();
    });
}

void Store::record_invocation(InvocationRecord r) {
    enqueue([r = std::move(r)](Connection& db) {
        db.cached(
              "INSERT INTO invocations(request_id, function, version, invocation_type, sandbox_id, cold, "
              "status, error_type, start_time_ms, end_time_ms, init_duration_ms, duration_ms, billed_duration_ms, "
              "memory_size_mb, max_memory_used_mb, boot_ms, code_download_ms, vpc_setup_ms, cost_usd, profile, "
              "architecture, runtime_start_ms, function_init_ms, resource_control, cpu_limited_by_host, provisioned, "
              "run_id, variant) "
              "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?"
              "27,?28)")
            .bind_all(r.request_id, r.function, r.version, r.invocation_type,
                      r.sandbox_id.empty() ? std::optional<std::string>{} : r.sandbox_id, r.cold ? 1 : 0, r.status,
                      r.error_type.empty() ? std::optional<std::string>{} : r.error_type, r.start_time_ms,
                      r.end_time_ms, r.init_duration_ms, r.duration_ms, r.billed_duration_ms, r.memory_size_mb,
                      r.max_memory_used_mb, r.boot_ms, r.code_download_ms, r.vpc_setup_ms, r.cost_usd, r.profile,
                      r.architecture, r.runtime_start_ms, r.function_init_ms,
                      r.resource_control.empty() ? std::optional<std::string>{} : r.resource_control,
                      r.cpu_limited_by_host ? 1 : 0, r.provisioned ? 1 : 0,
                      r.run_id.empty() ? std::optional<std::string>{} : r.run_id,
                      r.variant.empty() ? std::optional<std::string>{} : r.variant)
            .run();
    });
}

void Store::record_log(LogRecord r) {
    enqueue([r = std::move(r)](Connection& db) {
        db.cached("INSERT INTO logs(function, sandbox_id, request_id, timestamp_ms, message) VALUES(?1,?2,?3,?4,?5)")
            .bind_all(r.function, r.sandbox_id, r.request_id.empty() ? std::optional<std::string>{} : r.request_id,
                      r.timestamp_ms, r.message)
            .run();
    });
}

void Store::record_sandbox_start(SandboxRecord r) {
    enqueue([r = std::move(r)](Connection& db) {
        db.cached(
              "INSERT OR REPLACE INTO sandboxes(id, function, version, log_stream, memory_size_mb, pid, created_at_ms) "
              "VALUES(?1,?2,?3,?4,?5,?6,?7)")
            .bind_all(r.id, r.function, r.version, r.log_stream, r.memory_size_mb, r.pid, r.created_at_ms)
            .run();
    });
}

void Store::record_sandbox_end(const std::string& sandbox_id, std::int64_t ended_at_ms, std::string reason) {
    enqueue([sandbox_id, ended_at_ms, reason = std::move(reason)](Connection& db) {
        db.cached("UPDATE sandboxes SET ended_at_ms = ?2, end_reason = ?3 WHERE id = ?1")
            .bind_all(sandbox_id, ended_at_ms, reason)
            .run();
    });
}

}  // namespace lambdalab::store
