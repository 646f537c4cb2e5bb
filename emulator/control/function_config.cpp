#include "control/function_config.hpp"

#include <nlohmann/json.hpp>

namespace lambdalab::control {

using nlohmann::json;

json to_api_json(const FunctionConfig& c, const Account& account) {
    json env = json::object();
    for (const auto& [key, value] : c.environment) env[key] = value;
    json out = {
        {"FunctionName", c.name},
        {"FunctionArn", function_arn(account, c.name)},
        {"Runtime", c.runtime},
        {"Role", c.role},
        {"Handler", c.handler},
        {"CodeSize", c.code_size},
        {"Description", c.description},
        {"Timeout", c.timeout_s},
        {"MemorySize", c.memory_mb},
        {"LastModified", c.last_modified},
        {"CodeSha256", c.code_sha256},
        {"Version", "$LATEST"},
        {"Environment", {{"Variables", env}}},
        {"TracingConfig", {{"Mode", "PassThrough"}}},
        {"RevisionId", c.revision_id},
        {"State", c.state},
        {"LastUpdateStatus", "Successful"},
        {"PackageType", "Zip"},
        {"Architectures", json::array({c.architecture})},
        {"EphemeralStorage", {{"Size", c.ephemeral_storage_mb}}},
        {"SnapStart", {{"ApplyOn", "None"}, {"OptimizationStatus", "Off"}}},
    };
    if (c.vpc.enabled()) {
        out["VpcConfig"] = {{"SubnetIds", c.vpc.subnet_ids},
                            {"SecurityGroupIds", c.vpc.security_group_ids},
                            {"VpcId", "vpc-lambdalab"}};  // subnets are simulated, so is their VPC
    }
    if (!c.state_reason.empty()) {
        out["StateReason"] = c.state_reason;
        out["StateReasonCode"] = c.state_reason_code;
    }
    return out;
}

json to_stored_json(const FunctionConfig& c, const Account& account) {
    json out = to_api_json(c, account);
    out["Lambdalab"] = {{"CodeDirectory", c.code_dir.string()}, {"CodeOwned", c.code_owned}};
    if (c.vpc.enabled()) {
        out["VpcConfig"] = {{"SubnetIds", c.vpc.subnet_ids}, {"SecurityGroupIds", c.vpc.security_group_ids}};
    }
    if (c.reserved_concurrency) out["Lambdalab"]["ReservedConcurrentExecutions"] = *c.reserved_concurrency;
    return out;
}

FunctionConfig from_stored_json(const json& j) {
    FunctionConfig c;
    c.name = j.at("FunctionName").get<std::string>();
    c.runtime = j.value("Runtime", "");
    c.handler = j.value("Handler", "");
    c.role = j.value("Role", c.role);
    c.description = j.value("Description", "");
    c.memory_mb = j.value("MemorySize", 128);
    c.timeout_s = j.value("Timeout", 3);
    c.ephemeral_storage_mb = j.contains("EphemeralStorage") ? j["EphemeralStorage"].value("Size", 512) : 512;
    if (j.contains("Architectures") && !j["Architectures"].empty()) c.architecture = j["Architectures"][0];
    if (j.contains("Environment") && j["Environment"].contains("Variables")) {
        for (const auto& [key, value] : j["Environment"]["Variables"].items()) c.environment[key] = value.get<std::string>();
    }
    if (j.contains("VpcConfig")) {
        c.vpc.subnet_ids = j["VpcConfig"].value("SubnetIds", std::vector<std::string>{});
        c.vpc.security_group_ids = j["VpcConfig"].value("SecurityGroupIds", std::vector<std::string>{});
    }
    c.code_size = j.value("CodeSize", std::int64_t{0});
    c.code_sha256 = j.value("CodeSha256", "");
    c.last_modified = j.value("LastModified", "");
    c.revision_id = j.value("RevisionId", "");
    c.state = j.value("State", "Active");
    c.state_reason = j.value("StateReason", "");
    c.state_reason_code = j.value("StateReasonCode", "");
    const json& own = j.at("Lambdalab");
    c.code_dir = own.value("CodeDirectory", "");
    c.code_owned = own.value("CodeOwned", false);
    if (own.contains("ReservedConcurrentExecutions")) c.reserved_concurrency = own["ReservedConcurrentExecutions"].get<int>();
    return c;
}

}  // namespace lambdalab::control
