#include "api/function_lookup.hpp"

#include "common/aws_error.hpp"
#include "control/function_name.hpp"

namespace lambdalab::api {

ResolvedFunction resolve_function(const control::FunctionRegistry& registry, const std::string& name_in_path,
                                  const std::optional<std::string>& query_qualifier) {
    const auto parsed = control::parse_function_name(name_in_path);
    if (!parsed) {
        throw AwsException({400,
                            "ValidationException",
                            "1 validation error detected: Value '" + name_in_path +
                                "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
                                "expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?"
                                "(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?",
                            {}});
    }
    std::string qualifier = parsed->qualifier;
    if (query_qualifier && !query_qualifier->empty()) {
        if (!qualifier.empty() && qualifier != *query_qualifier) {
            throw_invalid_parameter(
                "The derived qualifier from the function name does not match the specified qualifier.");
        }
        qualifier = *query_qualifier;
    }
    control::ResolvedVersion resolved = registry.resolve(parsed->name, qualifier);
    return {std::move(resolved.config), resolved.version,
            control::function_arn(registry.account(), parsed->name, qualifier), qualifier};
}

}  // namespace lambdalab::api
