#pragma once
// The control plane's state: every function's configuration, persisted in the store. Configurations
// are immutable snapshots (shared_ptr<const>), so an invocation keeps the settings it started with
// while an update installs new ones. Runs on the event-loop thread.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "control/account.hpp"
#include "control/function_config.hpp"

namespace lambdalab::store {
class Store;
}

namespace lambdalab::control {

using FunctionPtr = std::shared_ptr<const FunctionConfig>;

class FunctionRegistry {
public:
    enum class Change { created, configuration, code, concurrency, deleted };
    using Listener = std::function<void(const FunctionConfig& config, Change change)>;

    FunctionRegistry(store::Store& store, std::filesystem::path code_root, Account account);

    // Restores the functions saved by an earlier run.
    void load();
    void subscribe(Listener listener) { listeners_.push_back(std::move(listener)); }

    // CreateFunction: a request body with Code.ZipFile (base64). Throws AwsException.
    FunctionPtr create(const nlohmann::json& request);
    // A functions-file entry: CreateFunction's fields plus "CodeDirectory" (relative to `base_dir`).
    // Creates the function or replaces its configuration and code.
    FunctionPtr declare(const nlohmann::json& entry, const std::filesystem::path& base_dir);
    FunctionPtr update_configuration(const std::string& name, const nlohmann::json& request);
    FunctionPtr update_code(const std::string& name, const nlohmann::json& request);
    void remove(const std::string& name);
    FunctionPtr set_reserved_concurrency(const std::string& name, std::optional<int> reserved);
    FunctionPtr set_state(const std::string& name, std::string state, std::string reason, std::string reason_code);

    FunctionPtr find(const std::string& name) const;
    // Throws AwsException 404 ResourceNotFoundException.
    FunctionPtr get(const std::string& name) const;
    std::vector<FunctionPtr> list() const;
    const Account& account() const { return account_; }

private:
    FunctionPtr install(FunctionConfig config, Change change);
    std::filesystem::path unpack(const std::string& name, const nlohmann::json& code, FunctionConfig& config);
    void release_code(const FunctionConfig& old, const FunctionConfig& next);

    store::Store& store_;
    std::filesystem::path code_root_;
    Account account_;
    std::map<std::string, FunctionPtr> functions_;
    std::vector<Listener> listeners_;
};

// 404 ResourceNotFoundException "Function not found: arn:..."
[[noreturn]] void throw_function_not_found(const Account& account, const std::string& name,
                                           const std::string& qualifier = {});

}  // namespace lambdalab::control
