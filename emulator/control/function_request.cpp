#include "control/function_request.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "common/aws_error.hpp"
#include "control/function_name.hpp"
#include "control/runtime_catalog.hpp"

namespace lambdalab::control {

using nlohmann::json;

namespace {

// Lambda's own environment variables, which a function may not set (configuration-envvars).
const std::set<std::string, std::less<>> kReservedEnvironment = {"_HANDLER",
                                                                 "_X_AMZN_TRACE_ID",
                                                                 "AWS_DEFAULT_REGION",
                                                                 "AWS_REGION",
                                                                 "AWS_EXECUTION_ENV",
                                                                 "AWS_LAMBDA_FUNCTION_NAME",
                                                                 "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                                                                 "AWS_LAMBDA_FUNCTION_VERSION",
                                                                 "AWS_LAMBDA_INITIALIZATION_TYPE",
                                                                 "AWS_LAMBDA_LOG_GROUP_NAME",
                                                                 "AWS_LAMBDA_LOG_STREAM_NAME",
                                                                 "AWS_ACCESS_KEY",
                                                                 "AWS_ACCESS_KEY_ID",
                                                                 "AWS_SECRET_ACCESS_KEY",
                                                                 "AWS_SESSION_TOKEN",
                                                                 "AWS_LAMBDA_RUNTIME_API",
                                                                 "LAMBDA_TASK_ROOT",
                                                                 "LAMBDA_RUNTIME_DIR"};

constexpr std::size_t kEnvironmentLimit = 4096;

[[noreturn]] void constraint(const std::string& value, const std::string& field, const std::string& rule) {
    throw_invalid_parameter("1 validation error detected: Value '" + value + "' at '" + field +
                            "' failed to satisfy constraint: " + rule);
}

int integer_field(const json& request, const char* key, const char* field) {
    const json& v = request.at(key);
    if (!v.is_number_integer()) constraint(v.dump(), field, "Member must be an integer");
    return v.get<int>();
}

std::string string_field(const json& request, const char* key) {
    const json& v = request.at(key);
    if (!v.is_string()) throw_invalid_parameter(std::string(key) + " must be a string");
    return v.get<std::string>();
}

void check_range(int value, int low, int high, const char* field) {
    if (value < low)
        constraint(std::to_string(value), field,
                   "Member must have value greater than or equal to " + std::to_string(low));
    if (value > high)
        constraint(std::to_string(value), field,
                   "Member must have value less than or equal to " + std::to_string(high));
}

bool valid_env_key(const std::string& key) {
    return key.size() >= 2 && std::isalpha(static_cast<unsigned char>(key[0])) &&
           std::all_of(key.begin(), key.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void apply_environment(FunctionConfig& config, const json& env) {
    if (!env.is_object()) throw_invalid_parameter("Environment must be an object");
    std::map<std::string, std::string> variables;
    if (env.contains("Variables") && !env["Variables"].is_null()) {
        if (!env["Variables"].is_object()) throw_invalid_parameter("Environment.Variables must be an object");
        for (const auto& [key, value] : env["Variables"].items()) {
            if (!valid_env_key(key))
                constraint(key, "environment.variables",
                           "Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+");
            if (!value.is_string()) throw_invalid_parameter("Environment variable " + key + " must be a string");
            variables[key] = value.get<std::string>();
        }
    }
    std::vector<std::string> reserved;
    std::size_t size = 0;
    for (const auto& [key, value] : variables) {
        if (kReservedEnvironment.contains(key)) reserved.push_back(key);
        size += key.size() + value.size();
    }
    if (!reserved.empty()) {
        std::string list;
        for (const auto& key : reserved) list += (list.empty() ? "" : ",") + key;
        throw_invalid_parameter(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided contains reserved keys that are currently not supported for modification. Reserved keys used "
            "in this request: " +
            list);
    }
    if (size > kEnvironmentLimit) {
        throw_invalid_parameter(
            "Lambda was unable to configure your environment variables because the environment variables you have "
            "provided exceeded the 4KB limit. String measured: " +
            json(variables).dump());
    }
    config.environment = std::move(variables);
}

void apply_vpc(FunctionConfig& config, const json& vpc) {
    if (!vpc.is_object()) throw_invalid_parameter("VpcConfig must be an object");
    VpcConfig next;
    next.subnet_ids = vpc.value("SubnetIds", std::vector<std::string>{});
    next.security_group_ids = vpc.value("SecurityGroupIds", std::vector<std::string>{});
    if (next.subnet_ids.size() > 16) throw_invalid_parameter("VpcConfig.SubnetIds may hold at most 16 subnets");
    if (next.security_group_ids.size() > 5)
        throw_invalid_parameter("VpcConfig.SecurityGroupIds may hold at most 5 groups");
    if (!next.subnet_ids.empty() && next.security_group_ids.empty()) {
        throw_invalid_parameter("VpcConfig needs at least one security group with its subnets");
    }
    config.vpc = std::move(next);
}

}  // namespace

void apply_configuration(FunctionConfig& config, const json& request, bool creating) {
    if (!request.is_object())
        throw AwsException({400, "InvalidRequestContentException", "Could not parse request body into json", {}});
    if (creating) {
        if (!request.contains("FunctionName")) throw_invalid_parameter("FunctionName is required");
        config.name = string_field(request, "FunctionName");
        if (!is_valid_function_name(config.name)) {
            constraint(
                config.name, "functionName",
                "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ and have length between 1 and 64");
        }
        if (request.value("PackageType", "Zip") != "Zip") {
            throw_invalid_parameter("PackageType Image is not supported by lambdalab; use a Zip package");
        }
        if (!request.contains("Runtime") || !request.contains("Handler")) {
            throw_invalid_parameter(
                "Runtime and Handler are mandatory parameters for functions created with deployment packages.");
        }
    }
    if (request.contains("Runtime")) {
        const std::string runtime = string_field(request, "Runtime");
        if (!find_runtime(runtime)) {
            std::string list;
            for (auto id : supported_runtimes()) list += (list.empty() ? "" : ", ") + std::string(id);
            throw_invalid_parameter("Value " + runtime + " at 'runtime' failed to satisfy constraint: lambdalab runs " +
                                    list);
        }
        config.runtime = runtime;
    }
    if (request.contains("Handler")) {
        const std::string handler = string_field(request, "Handler");
        if (handler.empty() || handler.size() > 128 || std::any_of(handler.begin(), handler.end(), [](char c) {
                return std::isspace(static_cast<unsigned char>(c));
            })) {
            constraint(handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+");
        }
        config.handler = handler;
    }
    if (request.contains("Role")) config.role = string_field(request, "Role");
    if (request.contains("Description")) {
        config.description = string_field(request, "Description");
        if (config.description.size() > 256)
            constraint(config.description, "description", "Member must have length less than or equal to 256");
    }
    if (request.contains("MemorySize")) {
        config.memory_mb = integer_field(request, "MemorySize", "memorySize");
        check_range(config.memory_mb, 128, 10240, "memorySize");
    }
    if (request.contains("Timeout")) {
        config.timeout_s = integer_field(request, "Timeout", "timeout");
        check_range(config.timeout_s, 1, 900, "timeout");
    }
    if (request.contains("EphemeralStorage")) {
        const json& storage = request["EphemeralStorage"];
        if (!storage.is_object() || !storage.contains("Size"))
            throw_invalid_parameter("EphemeralStorage.Size is required");
        config.ephemeral_storage_mb = integer_field(storage, "Size", "ephemeralStorage.size");
        check_range(config.ephemeral_storage_mb, 512, 10240, "ephemeralStorage.size");
    }
    if (request.contains("Architectures")) {
        const json& archs = request["Architectures"];
        if (!archs.is_array() || archs.size() != 1 || !archs[0].is_string() ||
            (archs[0] != "x86_64" && archs[0] != "arm64")) {
            constraint(archs.dump(), "architectures", "Member must have length 1 and contain one of [x86_64, arm64]");
        }
        config.architecture = archs[0].get<std::string>();
    }
    if (request.contains("Environment") && !request["Environment"].is_null())
        apply_environment(config, request["Environment"]);
    if (request.contains("VpcConfig") && !request["VpcConfig"].is_null()) apply_vpc(config, request["VpcConfig"]);
    if (request.contains("DeadLetterConfig") && request["DeadLetterConfig"].is_object()) {
        config.dead_letter_target = request["DeadLetterConfig"].value("TargetArn", "");
    }
}

}  // namespace lambdalab::control
