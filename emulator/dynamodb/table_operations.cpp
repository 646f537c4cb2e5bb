// CreateTable, DescribeTable, ListTables, DeleteTable. Tables are ACTIVE as soon as they exist
// and gone as soon as they are deleted (DynamoDB takes seconds; SDK waiters pass at once).
#include <chrono>

#include "common/ids.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"

namespace lambdalab::dynamodb {

Json Operations::create_table(const Json& request) {
    TableDefinition table = parse_create_table(request);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    table.created_at = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) / 1000.0;
    table.table_id = new_uuid();
    store_.create_table(table);
    return Json{{"TableDescription", table_description(table, TableStats{}, "ACTIVE", table_arn(table.name))}};
}

Json Operations::describe_table(const Json& request) {
    const auto table = require_table(table_name(request), true);
    return Json{{"Table", table_description(*table, store_.stats(table->id), "ACTIVE", table_arn(table->name))}};
}

Json Operations::list_tables(const Json& request) {
    const auto limit = optional_integer(request, "Limit").value_or(100);
    if (limit < 1)
        throw_constraint("Limit", std::to_string(limit), "Member must have value greater than or equal to 1");
    if (limit > 100)
        throw_constraint("Limit", std::to_string(limit), "Member must have value less than or equal to 100");
    const std::string start = optional_string(request, "ExclusiveStartTableName").value_or("");
    auto names = store_.table_names(start, static_cast<std::size_t>(limit) + 1);
    Json out{{"TableNames", Json::array()}};
    const bool more = names.size() > static_cast<std::size_t>(limit);
    if (more) names.pop_back();
    for (const auto& name : names) out["TableNames"].push_back(name);
    if (more) out["LastEvaluatedTableName"] = names.back();
    return out;
}

Json Operations::delete_table(const Json& request) {
    const auto table = require_table(table_name(request), true);
    const TableStats stats = store_.stats(table->id);
    store_.delete_table(*table);
    return Json{{"TableDescription", table_description(*table, stats, "DELETING", table_arn(table->name))}};
}

}  // namespace lambdalab::dynamodb
