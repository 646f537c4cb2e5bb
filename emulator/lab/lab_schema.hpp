#pragma once
// The lab's own tables (runs, variants, client_samples) in the emulator's database file. They are
// versioned apart from the core schema (which counts PRAGMA user_version): lab_meta holds a
// 'schema_version' row, and every statement is CREATE ... IF NOT EXISTS, so the two never clash.
namespace lambdalab::store {
class Connection;
}

namespace lambdalab::lab {

// Creates or upgrades the lab's tables. Idempotent; safe while the emulator writes.
void migrate_lab(store::Connection& db);
// Whether the lab's tables exist (a read-only reader must not create them).
bool has_lab_tables(store::Connection& db);

}  // namespace lambdalab::lab
