#pragma once
// CreateFunction / UpdateFunctionConfiguration request bodies applied to a configuration, with
// Lambda's validation and error messages (InvalidParameterValueException, 400).
#include <nlohmann/json_fwd.hpp>

#include "control/function_config.hpp"

namespace lambdalab::control {

// Applies the request's configuration fields. `creating` also requires what CreateFunction requires.
// Throws AwsException on an invalid field; `config` is then partly updated and must be discarded.
void apply_configuration(FunctionConfig& config, const nlohmann::json& request, bool creating);

}  // namespace lambdalab::control
