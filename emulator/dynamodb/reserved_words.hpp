#pragma once
// DynamoDB's reserved words: an expression naming an attribute with one of them directly (not
// through #name) fails, on AWS and here, so code that works locally works there.
#include <string_view>

namespace lambdalab::dynamodb {

// Case-insensitive.
bool is_reserved_word(std::string_view word);

}  // namespace lambdalab::dynamodb
