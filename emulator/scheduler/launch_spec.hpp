#pragma once
// How to start a function's runtime: the executable for its runtime id and the environment Lambda
// gives it (reference/runtime-api.md §3). The sandbox adds AWS_LAMBDA_RUNTIME_API itself.
#include <filesystem>
#include <string>

#include "control/account.hpp"
#include "control/function_config.hpp"
#include "sandbox/process.hpp"

namespace lambdalab::scheduler {

struct HostPaths {
    std::filesystem::path runtimes_dir;  // holds python/bootstrap.py and node/bootstrap.mjs
    std::filesystem::path python;        // interpreter for python3.x functions
    std::filesystem::path node;          // interpreter for nodejs functions
    std::string lambda_endpoint;         // AWS_ENDPOINT_URL_LAMBDA, e.g. http://127.0.0.1:9000
    std::string dynamodb_endpoint;       // AWS_ENDPOINT_URL_DYNAMODB, empty when not served
};

struct SandboxIdentity {
    std::string id;          // 32 hex digits
    std::string log_stream;  // 2026/11/23/[$LATEST]<id>
    std::string version = "$LATEST";
    std::filesystem::path tmp_dir;
    bool private_tmp = false;  // the host lets tmp_dir be bound at /tmp in a private mount namespace
    bool provisioned = false;
};

// Throws AwsException (Runtime.InvalidEntrypoint shape) when the runtime cannot be started at all.
sandbox::ProcessSpec launch_spec(const control::FunctionConfig& function, const control::Account& account,
                                 const SandboxIdentity& identity, const HostPaths& paths);

// Finds an executable on PATH (empty when absent).
std::filesystem::path find_on_path(const std::string& name);

}  // namespace lambdalab::scheduler
