#include "dynamodb/table_store.hpp"

#include <array>
#include <string_view>

#include "dynamodb/dynamo_error.hpp"
#include "store/sqlite.hpp"

namespace lambdalab::dynamodb {

namespace {

// Append-only: a new migration goes at the end; never edit one that has shipped.
constexpr std::array<std::string_view, 1> kMigrations = {
    R"sql(
CREATE TABLE tables(
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  definition TEXT NOT NULL      -- TableDefinition::to_json(): key schema, billing, creation time, TableId
);
CREATE TABLE items(
  table_id  INTEGER NOT NULL,
  hash_key  TEXT NOT NULL,      -- key_codec encodings: their byte order is DynamoDB's key order
  range_key TEXT NOT NULL,      -- '' when the table has no sort key
  item      TEXT NOT NULL,      -- the item in DynamoDB JSON
  size      INTEGER NOT NULL,   -- DynamoDB's item size, for DescribeTable
  PRIMARY KEY(table_id, hash_key, range_key)
);
)sql",
};

void migrate(store::Connection& db) {
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

StoredItem read_row(store::Statement& row, const std::string& hash) {
    StoredItem out;
    out.key = EncodedKey{hash.empty() ? row.column_text(3) : hash, row.column_text(0)};
    out.item = Json::parse(row.column_text(1));
    out.size = static_cast<std::size_t>(row.column_int(2));
    return out;
}

}  // namespace

TableStore::TableStore(const std::filesystem::path& path) : db_(std::make_unique<store::Connection>(path.string())) {
    db_->exec("PRAGMA journal_mode=WAL");
    // A crash of the machine may lose the last writes, never corrupt the file; a crash of lambdalab loses
    // nothing.
    db_->exec("PRAGMA synchronous=NORMAL");
    migrate(*db_);
}

TableStore::~TableStore() = default;

std::shared_ptr<const TableDefinition> TableStore::find_table(const std::string& name) {
    if (const auto it = tables_.find(name); it != tables_.end()) return it->second;
    auto& row = db_->cached("SELECT id, definition FROM tables WHERE name = ?");
    row.bind_all(name);
    if (!row.step()) return nullptr;
    auto table = std::make_shared<TableDefinition>(TableDefinition::from_json(Json::parse(row.column_text(1))));
    table->id = row.column_int(0);
    row.reset();
    tables_[name] = table;
    return table;
}

void TableStore::create_table(TableDefinition& table) {
    if (find_table(table.name))
        throw DynamoException({"ResourceInUseException", "Table already exists: " + table.name});
    auto& insert = db_->cached("INSERT INTO tables(name, definition) VALUES (?, ?) RETURNING id");
    insert.bind_all(table.name, table.to_json().dump());
    if (insert.step()) table.id = insert.column_int(0);
    insert.reset();
    tables_[table.name] = std::make_shared<TableDefinition>(table);
}

void TableStore::delete_table(const TableDefinition& table) {
    in_transaction([&] {
        auto& items = db_->cached("DELETE FROM items WHERE table_id = ?");
        items.bind_all(table.id);
        items.run();
        auto& row = db_->cached("DELETE FROM tables WHERE id = ?");
        row.bind_all(table.id);
        row.run();
    });
    tables_.erase(table.name);
}

std::vector<std::string> TableStore::table_names(const std::string& exclusive_start, std::size_t limit) {
    auto& rows = db_->cached("SELECT name FROM tables WHERE name > ? ORDER BY name LIMIT ?");
    rows.bind_all(exclusive_start, static_cast<std::int64_t>(limit));
    std::vector<std::string> names;
    while (rows.step()) names.push_back(rows.column_text(0));
    return names;
}

TableStats TableStore::stats(std::int64_t table_id) {
    auto& row = db_->cached("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM items WHERE table_id = ?");
    row.bind_all(table_id);
    row.step();
    TableStats out{row.column_int(0), row.column_int(1)};
    row.reset();
    return out;
}

std::optional<StoredItem> TableStore::get_item(std::int64_t table_id, const EncodedKey& key) {
    auto& row =
        db_->cached("SELECT range_key, item, size FROM items WHERE table_id = ? AND hash_key = ? AND range_key = ?");
    row.bind_all(table_id, key.hash, key.range);
    if (!row.step()) return std::nullopt;
    StoredItem out = read_row(row, key.hash);
    row.reset();
    return out;
}

void TableStore::put_item(std::int64_t table_id, const EncodedKey& key, const Json& item, std::size_t size) {
    auto& upsert =
        db_->cached("INSERT OR REPLACE INTO items(table_id, hash_key, range_key, item, size) VALUES (?, ?, ?, ?, ?)");
    upsert.bind_all(table_id, key.hash, key.range, item.dump(), static_cast<std::int64_t>(size));
    upsert.run();
}

void TableStore::delete_item(std::int64_t table_id, const EncodedKey& key) {
    auto& remove = db_->cached("DELETE FROM items WHERE table_id = ? AND hash_key = ? AND range_key = ?");
    remove.bind_all(table_id, key.hash, key.range);
    remove.run();
}

void TableStore::query(std::int64_t table_id, const std::string& hash, const SortKeyRange& range, bool forward,
                       const std::optional<std::string>& exclusive_start, const Visitor& visit) {
    std::string sql = "SELECT range_key, item, size FROM items WHERE table_id = ?1 AND hash_key = ?2";
    if (range.lower) sql += range.lower_inclusive ? " AND range_key >= ?3" : " AND range_key > ?3";
    if (range.upper) sql += range.upper_inclusive ? " AND range_key <= ?4" : " AND range_key < ?4";
    if (exclusive_start) sql += forward ? " AND range_key > ?5" : " AND range_key < ?5";
    sql += forward ? " ORDER BY range_key ASC" : " ORDER BY range_key DESC";
    // The statement stays cached per shape (a handful of them); rows are read while the visitor runs,
    // so the visitor must not use the store.
    auto& rows = db_->cached(sql);
    rows.bind(1, table_id).bind(2, hash);
    if (range.lower) rows.bind(3, *range.lower);
    if (range.upper) rows.bind(4, *range.upper);
    if (exclusive_start) rows.bind(5, *exclusive_start);
    while (rows.step()) {
        if (!visit(read_row(rows, hash))) break;
    }
    rows.reset();
}

void TableStore::scan(std::int64_t table_id, const std::optional<EncodedKey>& exclusive_start, const Visitor& visit) {
    const std::string sql = std::string("SELECT range_key, item, size, hash_key FROM items WHERE table_id = ?1") +
                            (exclusive_start ? " AND (hash_key, range_key) > (?2, ?3)" : "") +
                            " ORDER BY hash_key, range_key";
    auto& rows = db_->cached(sql);
    rows.bind(1, table_id);
    if (exclusive_start) rows.bind(2, exclusive_start->hash).bind(3, exclusive_start->range);
    while (rows.step()) {
        if (!visit(read_row(rows, {}))) break;
    }
    rows.reset();
}

void TableStore::in_transaction(const std::function<void()>& work) {
    db_->exec("BEGIN IMMEDIATE");
    try {
        work();
        db_->exec("COMMIT");
    } catch (...) {
        db_->exec("ROLLBACK");
        throw;
    }
}

}  // namespace lambdalab::dynamodb
