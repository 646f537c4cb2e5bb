// Query and Scan: pages of items in key order, with Limit (items evaluated, before the filter),
// DynamoDB's 1 MB page size, ExclusiveStartKey/LastEvaluatedKey, FilterExpression, projections and
// Select COUNT.
#include "dynamodb/consumed_capacity.hpp"
#include "dynamodb/document_path.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/expression_eval.hpp"
#include "dynamodb/expression_parser.hpp"
#include "dynamodb/item_key.hpp"
#include "dynamodb/key_condition.hpp"
#include "dynamodb/operations.hpp"
#include "dynamodb/request_fields.hpp"
#include "dynamodb/table_store.hpp"

namespace lambdalab::dynamodb {

namespace {

constexpr std::size_t kMaxPageBytes = 1024 * 1024;

// The parameters Query and Scan share, read and checked before the table is looked at.
struct ReadRequest {
    std::string table;
    std::optional<std::int64_t> limit;
    std::optional<Node> filter;
    std::optional<std::vector<DocumentPath>> projection;
    bool count_only = false;
    bool consistent = false;
};

ReadRequest read_request(const Json& request, ExpressionInputs& inputs) {
    ReadRequest out;
    out.table = table_name(request);
    support::reject_legacy(request);
    out.limit = optional_integer(request, "Limit");
    if (out.limit && *out.limit < 1) {
        throw_constraint("Limit", std::to_string(*out.limit), "Member must have value greater than or equal to 1");
    }
    out.filter = support::condition(request, "FilterExpression", inputs);
    out.projection = support::projection(request, inputs);
    out.consistent = optional_bool(request, "ConsistentRead").value_or(false);
    const auto select = optional_enum(request, "Select",
                                      {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"});
    if (select == "ALL_PROJECTED_ATTRIBUTES")
        throw_validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
    if (select == "COUNT" && out.projection) {
        throw_validation("Cannot specify the ProjectionExpression when choosing to get only the Count");
    }
    if (select == "ALL_ATTRIBUTES" && out.projection) {
        throw_validation("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES");
    }
    if (select == "SPECIFIC_ATTRIBUTES" && !out.projection) {
        throw_validation(
            "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
            "SPECIFIC_ATTRIBUTES");
    }
    out.count_only = select == "COUNT";
    return out;
}

// Secondary indexes cannot be created here, so any IndexName names one the table lacks.
void reject_index(const Json& request) {
    if (const auto index = optional_string(request, "IndexName")) {
        check_table_name(*index, "IndexName");
        throw_validation("The table does not have the specified index: " + *index);
    }
}

void collect_attributes(const Node& node, std::vector<std::string>& out) {
    if (node.kind == Node::Kind::Path) out.push_back(node.path.attribute());
    for (const auto& arg : node.args) collect_attributes(arg, out);
}

// Builds one page of results as rows arrive.
class Page {
  public:
    Page(const TableDefinition& table, const ReadRequest& request) : table_(table), request_(request) {}

    // False once the page is full (Limit items evaluated, or 1 MB read).
    bool add(StoredItem&& row) {
        ++scanned_;
        bytes_ += row.size;
        if (!request_.filter || evaluate_condition(*request_.filter, row.item)) {
            ++count_;
            if (!request_.count_only)
                items_.push_back(request_.projection ? project(row.item, *request_.projection) : row.item);
        }
        const bool full = (request_.limit && scanned_ >= *request_.limit) || bytes_ >= kMaxPageBytes;
        if (full) last_key_ = key_attributes(table_, row.item);
        return !full;
    }

    Json response(const Json& request) const {
        Json out{{"Count", count_}, {"ScannedCount", scanned_}};
        if (!request_.count_only) out["Items"] = items_;
        if (last_key_) out["LastEvaluatedKey"] = *last_key_;
        add_consumed_capacity(out, request, table_.name, read_units(bytes_, request_.consistent));
        return out;
    }

  private:
    const TableDefinition& table_;
    const ReadRequest& request_;
    Json items_ = Json::array();
    std::int64_t count_ = 0;
    std::int64_t scanned_ = 0;
    std::size_t bytes_ = 0;
    std::optional<Json> last_key_;
};

std::optional<EncodedKey> start_key(const Json& request, const TableDefinition& table) {
    const Json* start = optional_object(request, "ExclusiveStartKey");
    if (!start) return std::nullopt;
    try {
        Json key = *start;
        validate_item(key, "ExclusiveStartKey");
        return key_of_key(table, key);
    } catch (const DynamoException& e) {
        if (e.error().type != "ValidationException") throw;
        throw_validation("The provided starting key is invalid: " + e.error().message);
    }
}

std::uint64_t fnv1a(const std::string& text) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
    return hash;
}

}  // namespace

Json Operations::query(const Json& request) {
    ExpressionInputs inputs(request);
    const ReadRequest read = read_request(request, inputs);
    const auto key_text = optional_string(request, "KeyConditionExpression");
    if (!key_text)
        throw_validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    const Node key_condition = parse_condition(*key_text, inputs, "KeyConditionExpression");
    inputs.check_all_used(true);
    const bool forward = optional_bool(request, "ScanIndexForward").value_or(true);

    const auto table = require_table(read.table);
    reject_index(request);
    if (read.filter) {
        std::vector<std::string> attributes;
        collect_attributes(*read.filter, attributes);
        for (const auto& attribute : attributes) {
            if (table->is_key(attribute)) {
                throw_validation(
                    "Filter Expression can only contain non-primary key attributes: Primary key attribute: " +
                    attribute);
            }
        }
    }
    const KeyConditionPlan plan = plan_key_condition(key_condition, *table);
    const auto start = start_key(request, *table);
    if (start && start->hash != plan.hash) {
        throw_validation("The provided starting key is outside query boundaries based on provided conditions");
    }

    Page page(*table, read);
    store_.query(table->id, plan.hash, plan.range, forward, start ? std::optional(start->range) : std::nullopt,
                 [&](StoredItem&& row) { return page.add(std::move(row)); });
    return page.response(request);
}

Json Operations::scan(const Json& request) {
    ExpressionInputs inputs(request);
    const ReadRequest read = read_request(request, inputs);
    inputs.check_all_used(read.filter || request.contains("ProjectionExpression"));
    const auto segment = optional_integer(request, "Segment");
    const auto total = optional_integer(request, "TotalSegments");
    if (segment && !total) {
        throw_validation(
            "The TotalSegments parameter is required but was not present in the request when parameter "
            "Segment is present");
    }
    if (total && !segment) {
        throw_validation(
            "The Segment parameter is required but was not present in the request when parameter "
            "TotalSegments is present");
    }
    if (total && (*total < 1 || *total > 1000000)) {
        throw_constraint("TotalSegments", std::to_string(*total), "Member must have value between 1 and 1000000");
    }
    if (segment && (*segment < 0 || *segment >= *total)) {
        throw_validation(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
            std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
    }

    const auto table = require_table(read.table);
    reject_index(request);
    const auto start = start_key(request, *table);
    Page page(*table, read);
    // Parallel scans split the table by a hash of the partition key, as DynamoDB splits it by partition.
    store_.scan(table->id, start, [&](StoredItem&& row) {
        if (total && fnv1a(row.key.hash) % static_cast<std::uint64_t>(*total) != static_cast<std::uint64_t>(*segment))
            return true;
        return page.add(std::move(row));
    });
    return page.response(request);
}

}  // namespace lambdalab::dynamodb
