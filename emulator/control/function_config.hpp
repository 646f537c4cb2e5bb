#pragma once
// One function's configuration: what CreateFunction and UpdateFunctionConfiguration set, where its
// code lives, and the concurrency settings. Plain data; the registry owns the instances.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "control/account.hpp"

namespace lambdalab::control {

struct VpcConfig {
    std::vector<std::string> subnet_ids;
    std::vector<std::string> security_group_ids;
    bool enabled() const { return !subnet_ids.empty(); }
    bool operator==(const VpcConfig&) const = default;
};

struct AliasConfig {
    std::string name;
    std::string function_version;
    std::string description;
    std::string revision_id;
};

// Asynchronous invocation settings (PutFunctionEventInvokeConfig).
struct EventInvokeConfig {
    std::optional<int> maximum_retry_attempts;  // 0..2; Lambda's default is 2
    std::optional<int> maximum_event_age_s;     // 60..21600; default 21600
    std::string on_success;                     // destination ARNs
    std::string on_failure;
    double last_modified = 0;  // epoch seconds
};

struct FunctionConfig {
    std::string name;
    std::string version = "$LATEST";  // or a published version number
    std::string runtime;
    std::string handler;
    std::string role = "arn:aws:iam::123456789012:role/lambda-role";
    std::string description;
    int memory_mb = 128;
    int timeout_s = 3;
    int ephemeral_storage_mb = 512;
    std::string architecture = "x86_64";
    std::map<std::string, std::string> environment;
    VpcConfig vpc;
    std::optional<int> reserved_concurrency;

    // Code: an unpacked zip in the data dir (owned, removed with the function) or a user's directory.
    std::filesystem::path code_dir;
    bool code_owned = false;
    std::int64_t code_size = 0;
    std::string code_sha256;  // base64 of the SHA-256 of the package

    std::string last_modified;  // 2019-08-14T22:26:11.234+0000
    std::string revision_id;
    std::string state = "Active";  // Pending while a VPC interface is being made
    std::string state_reason;
    std::string state_reason_code;
    std::string dead_letter_target;  // DeadLetterConfig.TargetArn

    // Function-wide settings, kept with $LATEST.
    std::map<std::string, AliasConfig> aliases;
    std::map<std::string, int> provisioned;  // requested provisioned concurrency by qualifier
    std::optional<EventInvokeConfig> event_invoke;
    int last_version = 0;            // the newest published version number
    std::string published_revision;  // $LATEST's revision when it was last published
};

nlohmann::json to_alias_json(const AliasConfig& alias, const std::string& function, const Account& account);
nlohmann::json to_event_invoke_json(const EventInvokeConfig& config, const std::string& function,
                                    const Account& account);

// The FunctionConfiguration shape of the Lambda API.
nlohmann::json to_api_json(const FunctionConfig& config, const Account& account);
// The form kept in the store (the API shape plus lambdalab's own fields), and back.
nlohmann::json to_stored_json(const FunctionConfig& config, const Account& account);
FunctionConfig from_stored_json(const nlohmann::json& stored);

}  // namespace lambdalab::control
