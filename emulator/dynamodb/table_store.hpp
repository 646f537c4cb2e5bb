#pragma once
// DynamoDB tables and items in SQLite (<data-dir>/dynamodb.db, WAL). Items are keyed by
// (table, encoded hash key, encoded sort key) with an index, so a Query is an index range scan and a
// Scan walks the index in key order. Used from one thread only: the DynamoDB service's.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb/item_key.hpp"
#include "dynamodb/key_condition.hpp"
#include "dynamodb/table_definition.hpp"

namespace lambdalab::store {
class Connection;
}

namespace lambdalab::dynamodb {

struct StoredItem {
    EncodedKey key;
    Json item;
    std::size_t size = 0;  // DynamoDB's size of the item
};

class TableStore {
  public:
    // Opens (creating and migrating) the database; ":memory:" for a throwaway one.
    explicit TableStore(const std::filesystem::path& path);
    ~TableStore();
    TableStore(const TableStore&) = delete;
    TableStore& operator=(const TableStore&) = delete;

    std::shared_ptr<const TableDefinition> find_table(const std::string& name);
    // Stores a new table and sets its id. Throws ResourceInUseException when the name is taken.
    void create_table(TableDefinition& table);
    // Drops the table and all its items.
    void delete_table(const TableDefinition& table);
    // Table names in order, after `exclusive_start` (empty: from the first), at most `limit`.
    std::vector<std::string> table_names(const std::string& exclusive_start, std::size_t limit);
    TableStats stats(std::int64_t table_id);

    std::optional<StoredItem> get_item(std::int64_t table_id, const EncodedKey& key);
    void put_item(std::int64_t table_id, const EncodedKey& key, const Json& item, std::size_t size);
    void delete_item(std::int64_t table_id, const EncodedKey& key);

    // Visits items until the visitor returns false.
    using Visitor = std::function<bool(StoredItem&&)>;
    // One partition's items in sort-key order (or reverse), within `range`, after `exclusive_start`
    // (an encoded sort key) when given.
    void query(std::int64_t table_id, const std::string& hash, const SortKeyRange& range, bool forward,
               const std::optional<std::string>& exclusive_start, const Visitor& visit);
    // The whole table in key order, after `exclusive_start` when given.
    void scan(std::int64_t table_id, const std::optional<EncodedKey>& exclusive_start, const Visitor& visit);

    // Runs `work` in one transaction: all of it is stored, or none.
    void in_transaction(const std::function<void()>& work);

  private:
    std::unique_ptr<store::Connection> db_;
    std::map<std::string, std::shared_ptr<const TableDefinition>> tables_;  // by name, loaded on first use
};

}  // namespace lambdalab::dynamodb
