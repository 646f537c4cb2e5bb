#include "store/schema.hpp"

#include <array>
#include <string_view>

#include "store/sqlite.hpp"

namespace lambdalab::store {

namespace {
// Append-only: a new migration goes at the end; never edit one that has shipped.
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE functions(
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,      -- $LATEST or a published version number
  config        TEXT NOT NULL,      -- FunctionConfiguration JSON plus lambdalab's own fields
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY(name, version)
);
CREATE TABLE sandboxes(
  id             TEXT PRIMARY KEY,  -- 32 hex digits, the suffix of the log stream name
  function       TEXT NOT NULL,
  version        TEXT NOT NULL,
  log_stream     TEXT NOT NULL,
  memory_size_mb INTEGER NOT NULL,
  pid            INTEGER,
  created_at_ms  INTEGER NOT NULL,
  ended_at_ms    INTEGER,
  end_reason     TEXT
);
CREATE TABLE invocations(
  id                 INTEGER PRIMARY KEY,
  request_id         TEXT NOT NULL,     -- an async event's retries share it, as on Lambda
  function           TEXT NOT NULL,
  version            TEXT NOT NULL,
  invocation_type    TEXT NOT NULL,
  sandbox_id         TEXT,
  cold               INTEGER NOT NULL,
  status             TEXT NOT NULL,
  error_type         TEXT,
  start_time_ms      INTEGER NOT NULL,
  end_time_ms        INTEGER NOT NULL,
  init_duration_ms   REAL,
  duration_ms        REAL NOT NULL,
  billed_duration_ms INTEGER NOT NULL,
  memory_size_mb     INTEGER NOT NULL,
  max_memory_used_mb INTEGER NOT NULL,
  boot_ms            REAL,
  code_download_ms   REAL,
  vpc_setup_ms       REAL,
  cost_usd           REAL NOT NULL,
  profile            TEXT NOT NULL,
  architecture       TEXT NOT NULL,
  runtime_start_ms   REAL,
  function_init_ms   REAL,
  resource_control   TEXT,
  cpu_limited_by_host INTEGER NOT NULL DEFAULT 0,
  provisioned        INTEGER NOT NULL DEFAULT 0,
  run_id             TEXT,
  variant            TEXT
);
CREATE INDEX invocations_by_run ON invocations(run_id, variant);
CREATE INDEX invocations_by_function ON invocations(function, start_time_ms);
CREATE INDEX invocations_by_request ON invocations(request_id);
CREATE TABLE logs(
  id           INTEGER PRIMARY KEY,
  function     TEXT NOT NULL,
  sandbox_id   TEXT NOT NULL,
  request_id   TEXT,
  timestamp_ms INTEGER NOT NULL,
  message      TEXT NOT NULL
);
CREATE INDEX logs_by_function ON logs(function, id);
CREATE TABLE async_events(
  id                 INTEGER PRIMARY KEY,
  request_id         TEXT NOT NULL UNIQUE,
  function           TEXT NOT NULL,
  qualifier          TEXT NOT NULL,
  payload            TEXT NOT NULL,
  trace_id           TEXT,
  accepted_at_ms     INTEGER NOT NULL,
  attempts           INTEGER NOT NULL DEFAULT 0,
  function_errors    INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms INTEGER NOT NULL
);
CREATE TABLE dead_letters(
  id            INTEGER PRIMARY KEY,
  request_id    TEXT NOT NULL,
  function      TEXT NOT NULL,
  condition     TEXT NOT NULL,
  destination   TEXT,
  record        TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
)sql",
};
}  // namespace

void migrate(Connection& db) {
    const int applied = db.user_version();
    for (std::size_t i = static_cast<std::size_t>(applied); i < kMigrations.size(); ++i) {
        db.exec("BEGIN IMMEDIATE");
        try {
            db.exec(kMigrations[i]);
            db.exec("PRAGMA user_version = " + std::to_string(i + 1));
            db.exec("COMMIT");
        } catch (...) {
            db.exec("ROLLBACK");
            throw;
        }
    }
}

}  // namespace lambdalab::store
