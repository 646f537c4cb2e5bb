#include "control/function_config.hpp"

#include <nlohmann/json.hpp>

namespace lambdalab::control {

using nlohmann::json;

json to_api_json(const FunctionConfig& c, const Account& account) {
    json env = json::object();
    for (const auto& [key, value] : c.environment) env[key] = value;
    json out = {
        {"FunctionName", c.name},
        {"FunctionArn", function_arn(account, c.name, c.version == "$LATEST" ? std::string{} : c.version)},
        {"Runtime", c.runtime},
        {"Role", c.role},
        {"Handler", c.handler},
        {"CodeSize", c.code_size},
        {"Description", c.description},
        {"Timeout", c.timeout_s},
        {"MemorySize", c.memory_mb},
        {"LastModified", c.last_modified},
        {"CodeSha256", c.code_sha256},
        {"Version", c.version},
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
    if (!c.dead_letter_target.empty()) out["DeadLetterConfig"] = {{"TargetArn", c.dead_letter_target}};
    return out;
}

json to_alias_json(const AliasConfig& alias, const std::string& function, const Account& account) {
    return {{"AliasArn", function_arn(account, function, alias.name)},
            {"Name", alias.name},
            {"FunctionVersion", alias.function_version},
            {"Description", alias.description},
            {"RevisionId", alias.revision_id}};
}

json to_event_invoke_json(const EventInvokeConfig& config, const std::string& function, const Account& account) {
    json out = {{"LastModified", config.last_modified},
                {"FunctionArn", function_arn(account, function, "$LATEST")},
                {"MaximumRetryAttempts", config.maximum_retry_attempts.value_or(2)},
                {"MaximumEventAgeInSeconds", config.maximum_event_age_s.value_or(21600)},
                {"DestinationConfig", json::object()}};
    if (!config.on_success.empty()) out["DestinationConfig"]["OnSuccess"] = {{"Destination", config.on_success}};
    if (!config.on_failure.empty()) out["DestinationConfig"]["OnFailure"] = {{"Destination", config.on_failure}};
    return out;
}

json to_stored_json(const FunctionConfig& c, const Account& account) {
    json out = to_api_json(c, account);
    out["Lambdalab"] = {{"CodeDirectory", c.code_dir.string()}, {"CodeOwned", c.code_owned},
                        {"LastVersion", c.last_version},        {"PublishedRevision", c.published_revision},
                        {"Provisioned", c.provisioned},         {"Aliases", json::object()}};
    for (const auto& [name, alias] : c.aliases) {
        out["Lambdalab"]["Aliases"][name] = {{"FunctionVersion", alias.function_version},
                                             {"Description", alias.description},
                                             {"RevisionId", alias.revision_id}};
    }
    if (c.event_invoke) {
        json event = {{"OnSuccess", c.event_invoke->on_success},
                      {"OnFailure", c.event_invoke->on_failure},
                      {"LastModified", c.event_invoke->last_modified}};
        if (c.event_invoke->maximum_retry_attempts)
            event["MaximumRetryAttempts"] = *c.event_invoke->maximum_retry_attempts;
        if (c.event_invoke->maximum_event_age_s)
            event["MaximumEventAgeInSeconds"] = *c.event_invoke->maximum_event_age_s;
        out["Lambdalab"]["EventInvokeConfig"] = event;
    }
    if (c.vpc.enabled()) {
        out["VpcConfig"] = {{"SubnetIds", c.vpc.subnet_ids}, {"SecurityGroupIds", c.vpc.security_group_ids}};
    }
    if (c.reserved_concurrency) out["Lambdalab"]["ReservedConcurrentExecutions"] = *c.reserved_concurrency;
    return out;
}

FunctionConfig from_stored_json(const json& j) {
    FunctionConfig c;
    c.name = j.at("FunctionName").get<std::string>();
    c.version = j.value("Version", "$LATEST");
    c.runtime = j.value("Runtime", "");
    c.handler = j.value("Handler", "");
    c.role = j.value("Role", c.role);
    c.description = j.value("Description", "");
    c.memory_mb = j.value("MemorySize", 128);
    c.timeout_s = j.value("Timeout", 3);
    c.ephemeral_storage_mb = j.contains("EphemeralStorage") ? j["EphemeralStorage"].value("Size", 512) : 512;
    if (j.contains("Architectures") && !j["Architectures"].empty()) c.architecture = j["Architectures"][0];
    if (j.contains("Environment") && j["Environment"].contains("Variables")) {
        for (const auto& [key, value] : j["Environment"]["Variables"].items())
            c.environment[key] = value.get<std::string>();
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
    if (j.contains("DeadLetterConfig")) c.dead_letter_target = j["DeadLetterConfig"].value("TargetArn", "");
    const json& own = j.at("Lambdalab");
    c.last_version = own.value("LastVersion", 0);
    c.published_revision = own.value("PublishedRevision", "");
    c.provisioned = own.value("Provisioned", std::map<std::string, int>{});
    const json aliases = own.value("Aliases", json::object());  // a named copy: items() must not outlive it
    for (const auto& [name, alias] : aliases.items()) {
        c.aliases[name] = {name, alias.value("FunctionVersion", ""), alias.value("Description", ""),
                           alias.value("RevisionId", "")};
    }
    if (own.contains("EventInvokeConfig")) {
        const json& event = own["EventInvokeConfig"];
        EventInvokeConfig config;
        if (event.contains("MaximumRetryAttempts"))
            config.maximum_retry_attempts = event["MaximumRetryAttempts"].get<int>();
        if (event.contains("MaximumEventAgeInSeconds"))
            config.maximum_event_age_s = event["MaximumEventAgeInSeconds"].get<int>();
        config.on_success = event.value("OnSuccess", "");
        config.on_failure = event.value("OnFailure", "");
        config.last_modified = event.value("LastModified", 0.0);
        c.event_invoke = config;
    }
    c.code_dir = own.value("CodeDirectory", "");
    c.code_owned = own.value("CodeOwned", false);
    if (own.contains("ReservedConcurrentExecutions"))
        c.reserved_concurrency = own["ReservedConcurrentExecutions"].get<int>();
    return c;
}

}  // namespace lambdalab::control
