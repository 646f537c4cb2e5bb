#include "scheduler/launch_spec.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include "control/runtime_catalog.hpp"

namespace lambdalab::scheduler {

namespace fs = std::filesystem;

fs::path find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const fs::path candidate = fs::path(std::string(dirs.substr(0, colon))) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return {};
}

namespace {

// What the sandbox's own /tmp would hide of the directories it needs: for each one under the host's
// /tmp, as written or with symlinks resolved, the top directory there that holds it (a project cloned
// under /tmp, whose functions may use files beside their own code). nullopt when one of them is /tmp
// itself: nothing could be bound back over it.
std::optional<std::vector<std::string>> kept_under_tmp(const std::vector<fs::path>& needed) {
    std::vector<std::string> kept;
    for (const fs::path& dir : needed) {
        std::error_code ec;
        for (const fs::path& form : {fs::absolute(dir, ec).lexically_normal(), fs::weakly_canonical(dir, ec)}) {
            auto part = form.begin();
            if (part == form.end() || *part != "/" || ++part == form.end() || *part != "tmp") continue;
            if (++part == form.end() || part->empty()) return std::nullopt;
            kept.push_back("/tmp/" + part->string());
        }
    }
    std::sort(kept.begin(), kept.end());
    kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
    return kept;
}

}  // namespace

sandbox::ProcessSpec launch_spec(const control::FunctionConfig& function, const control::Account& account,
                                 const SandboxIdentity& identity, const HostPaths& paths) {
    const control::RuntimeInfo* runtime = control::find_runtime(function.runtime);
    sandbox::ProcessSpec spec;
    spec.working_dir = function.code_dir;
    fs::path runtime_dir;
    switch (runtime ? runtime->kind : control::RuntimeKind::custom) {
        case control::RuntimeKind::custom:
            spec.executable = function.code_dir / "bootstrap";
            runtime_dir = function.code_dir;
            break;
        case control::RuntimeKind::python:
            spec.executable = paths.python;
            runtime_dir = paths.runtimes_dir / "python";
            spec.args = {(runtime_dir / "bootstrap.py").string()};
            break;
        case control::RuntimeKind::node:
            spec.executable = paths.node;
            runtime_dir = paths.runtimes_dir / "node";
            spec.args = {(runtime_dir / "bootstrap.mjs").string()};
            break;
    }

    // The function's own variables first: Lambda's reserved ones below win.
    std::map<std::string, std::string> env(function.environment.begin(), function.environment.end());
    const std::string task_root = function.code_dir.string();
    env["_HANDLER"] = function.handler;
    env["AWS_REGION"] = account.region;
    env["AWS_DEFAULT_REGION"] = account.region;
    if (runtime && control::is_managed(*runtime)) env["AWS_EXECUTION_ENV"] = "AWS_Lambda_" + function.runtime;
    env["AWS_LAMBDA_FUNCTION_NAME"] = function.name;
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(function.memory_mb);
    env["AWS_LAMBDA_FUNCTION_VERSION"] = identity.version;
    env["AWS_LAMBDA_INITIALIZATION_TYPE"] = identity.provisioned ? "provisioned-concurrency" : "on-demand";
    env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + function.name;
    env["AWS_LAMBDA_LOG_STREAM_NAME"] = identity.log_stream;
    // Dummy credentials: AWS SDKs inside the function sign requests to lambdalab's endpoints with them.
    env["AWS_ACCESS_KEY_ID"] = "AKIALAMBDALAB0000000";
    env["AWS_ACCESS_KEY"] = env["AWS_ACCESS_KEY_ID"];
    env["AWS_SECRET_ACCESS_KEY"] = "lambdalab/secret/key/for/local/use/only00";
    env["AWS_SESSION_TOKEN"] = "lambdalab-session-token";
    env["LAMBDA_TASK_ROOT"] = task_root;
    env["LAMBDA_RUNTIME_DIR"] = runtime_dir.string();
    env["TZ"] = ":UTC";
    env.try_emplace("LANG", "en_US.UTF-8");
    env.try_emplace("PATH", "/usr/local/bin:/usr/bin/:/bin:/opt/bin");
    env.try_emplace("LD_LIBRARY_PATH", "/lib64:/usr/lib64:" + runtime_dir.string() + ":" + runtime_dir.string() +
                                           "/lib:" + task_root + ":" + task_root + "/lib:/opt/lib");
    env.try_emplace("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
    env.try_emplace("AWS_XRAY_DAEMON_ADDRESS", "169.254.79.2:2000");
    env.try_emplace("_AWS_XRAY_DAEMON_ADDRESS", "169.254.79.2");
    env.try_emplace("_AWS_XRAY_DAEMON_PORT", "2000");
    env.try_emplace("AWS_LAMBDA_LOG_FORMAT", "Text");
    if (runtime && runtime->kind == control::RuntimeKind::node) {
        env.try_emplace("NODE_PATH", "/opt/nodejs/node22/node_modules:/opt/nodejs/node_modules:" +
                                         runtime_dir.string() + "/node_modules:" + task_root + "/node_modules");
    }
    if (runtime && runtime->kind == control::RuntimeKind::python) {
        env.try_emplace("PYTHONPATH", task_root);
        env.try_emplace("PYTHONUNBUFFERED", "1");
    }
    // Every sandbox has its own /tmp (Lambda's 512 MB-and-up ephemeral storage). A project or function
    // kept under the host's /tmp stays reachable inside it.
    const auto kept = identity.private_tmp ? kept_under_tmp({function.code_dir, runtime_dir}) : std::nullopt;
    env["TMPDIR"] = kept ? std::string("/tmp") : identity.tmp_dir.string();
    if (kept) {
        spec.child_setup.private_tmp = identity.tmp_dir.string();
        spec.child_setup.kept_under_tmp = *kept;
    }
    if (!paths.lambda_endpoint.empty()) env.try_emplace("AWS_ENDPOINT_URL_LAMBDA", paths.lambda_endpoint);
    if (!paths.dynamodb_endpoint.empty()) env.try_emplace("AWS_ENDPOINT_URL_DYNAMODB", paths.dynamodb_endpoint);

    for (const auto& [key, value] : env) spec.environment.push_back(key + "=" + value);
    return spec;
}

}  // namespace lambdalab::scheduler
