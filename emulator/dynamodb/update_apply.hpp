#pragma once
// Applying an UpdateExpression (SET, REMOVE, ADD, DELETE) to an item, as DynamoDB does: every
// operand reads the item as it was before the update.
#include <nlohmann/json.hpp>
#include <vector>

#include "dynamodb/expression.hpp"

namespace lambdalab::dynamodb {

// The updated item. Throws ValidationException for invalid document paths and wrong types.
Json apply_update(const UpdateExpression& update, const Json& item);

// The paths an update touches (for ReturnValues UPDATED_OLD and UPDATED_NEW).
std::vector<DocumentPath> updated_paths(const UpdateExpression& update);

}  // namespace lambdalab::dynamodb
