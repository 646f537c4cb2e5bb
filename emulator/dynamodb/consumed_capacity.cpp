#include "dynamodb/consumed_capacity.hpp"

#include <algorithm>

#include "dynamodb/request_fields.hpp"

namespace lambdalab::dynamodb {

double read_units(std::size_t bytes, bool consistent) {
    const double units = static_cast<double>(std::max<std::size_t>(1, (bytes + 4095) / 4096));
    return consistent ? units : units / 2;
}

double write_units(std::size_t bytes) {
    return static_cast<double>(std::max<std::size_t>(1, (bytes + 1023) / 1024));
}

void add_consumed_capacity(nlohmann::json& response, const nlohmann::json& request, const std::string& table,
                           double units) {
    const auto mode = optional_enum(request, "ReturnConsumedCapacity", {"INDEXES", "TOTAL", "NONE"});
    if (!mode || *mode == "NONE") return;
    nlohmann::json capacity{{"TableName", table}, {"CapacityUnits", units}};
    if (*mode == "INDEXES") capacity["Table"] = {{"CapacityUnits", units}};
    response["ConsumedCapacity"] = std::move(capacity);
}

}  // namespace lambdalab::dynamodb
