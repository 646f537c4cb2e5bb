#pragma once
namespace lambdalab::store {
class Connection;
// Creates or upgrades the schema (PRAGMA user_version counts the migrations applied).
void migrate(Connection& db);
}  // namespace lambdalab::store
