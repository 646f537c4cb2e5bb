#pragma once
// Function names as the Invoke API accepts them: `name`, `name:qualifier`, a full ARN
// `arn:aws:lambda:us-east-1:123456789012:function:name[:qualifier]` or a partial ARN
// `123456789012:function:name[:qualifier]` (reference/runtime-api.md §2.1).
#include <optional>
#include <string>
#include <string_view>

namespace lambdalab::control {

struct FunctionName {
    std::string name;
    std::string qualifier;  // empty when none was given
    std::string region;     // from a full ARN
    std::string account;    // from a full or partial ARN
};

// nullopt when the text matches none of the accepted forms.
std::optional<FunctionName> parse_function_name(std::string_view text);

// A name CreateFunction accepts: 1 to 64 of [a-zA-Z0-9-_].
bool is_valid_function_name(std::string_view name);
// A qualifier: $LATEST, a version number or an alias name.
bool is_valid_qualifier(std::string_view qualifier);

}  // namespace lambdalab::control
