#include "lab/lab_schema.hpp"

#include <array>
#include <string>
#include <string_view>

#include "store/sqlite.hpp"

namespace lambdalab::lab {

namespace {
// Append-only, like the core's: a new migration goes at the end.
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,      -- suite | tune
  status        TEXT NOT NULL,      -- running | complete | incomplete | failed
  suite         TEXT NOT NULL,      -- the suite as run (JSON)
  endpoint      TEXT,               -- the emulator it ran against
  environment   TEXT,               -- JSON: host cores, profile, lambdalab version
  headline      TEXT,
  result        TEXT,               -- JSON: the analysis (Power Tuning output per function)
  message       TEXT,               -- why it stopped or failed
  invocations   INTEGER,            -- invocation rows of the run, counted when it ended
  started_at_ms INTEGER NOT NULL,
  ended_at_ms   INTEGER
);
CREATE TABLE IF NOT EXISTS variants(
  run_id        INTEGER NOT NULL,
  name          TEXT NOT NULL,
  position      INTEGER NOT NULL,
  config        TEXT NOT NULL,      -- the variant's dimensions (JSON)
  status        TEXT NOT NULL,      -- pending | running | complete | skipped | incomplete | failed
  message       TEXT,
  result        TEXT,               -- JSON: e.g. Power Tuning's executor statistics
  stats         TEXT,               -- JSON: statistics, cached once the run ended
  started_at_ms INTEGER,
  ended_at_ms   INTEGER,
  PRIMARY KEY(run_id, name)
);
CREATE TABLE IF NOT EXISTS client_samples(
  id                 INTEGER PRIMARY KEY,
  run_id             INTEGER NOT NULL,
  variant            TEXT NOT NULL,
  repetition         INTEGER NOT NULL,
  seq                INTEGER NOT NULL,
  request_id         TEXT,
  sent_at_ms         REAL NOT NULL,
  scheduled_ms       REAL,
  late_ms            REAL,
  client_ms          REAL,
  attempts           INTEGER NOT NULL DEFAULT 1,
  http_status        INTEGER,
  outcome            TEXT NOT NULL,
  error_type         TEXT,
  report_duration_ms REAL,
  report_billed_ms   REAL,
  report_init_ms     REAL,
  response           TEXT
);
CREATE INDEX IF NOT EXISTS client_samples_by_run ON client_samples(run_id, variant);
)sql",
};

int lab_version(store::Connection& db) {
    auto stmt = db.prepare("SELECT value FROM lab_meta WHERE key = 'schema_version'");
    return stmt.step() ? std::stoi(stmt.column_text(0)) : 0;
}
}  // namespace

void migrate_lab(store::Connection& db) {
    db.exec("CREATE TABLE IF NOT EXISTS lab_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db.exec("BEGIN IMMEDIATE");
    try {
        for (std::size_t i = static_cast<std::size_t>(lab_version(db)); i < kMigrations.size(); ++i) {
            db.exec(kMigrations[i]);
            db.prepare(
                  "INSERT INTO lab_meta(key, value) VALUES('schema_version', ?1) "
                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
                .bind_all(std::to_string(i + 1))
                .run();
        }
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

bool has_lab_tables(store::Connection& db) {
    auto stmt = db.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('runs', 'variants', 'client_samples')");
    return stmt.step() && stmt.column_int(0) == 3;
}

}  // namespace lambdalab::lab
