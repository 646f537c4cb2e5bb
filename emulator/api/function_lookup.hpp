#pragma once
// Resolves the {FunctionName} of a request path (name, name:qualifier, full or partial ARN) and the
// ?Qualifier= parameter ($LATEST, a version number or an alias) to the configuration that runs, with
// Lambda's errors when it cannot.
#include <optional>
#include <string>

#include "control/function_registry.hpp"

namespace lambdalab::api {

struct ResolvedFunction {
    control::FunctionPtr function;
    std::string version = "$LATEST";
    std::string invoked_arn;  // the ARN as invoked: with the qualifier when one was given
    std::string qualifier;    // as given: empty, $LATEST, a version or an alias
};

// Throws AwsException: 400 for a malformed name or conflicting qualifiers, 404 for an unknown function
// or qualifier.
ResolvedFunction resolve_function(const control::FunctionRegistry& registry, const std::string& name_in_path,
                                  const std::optional<std::string>& query_qualifier);

}  // namespace lambdalab::api
