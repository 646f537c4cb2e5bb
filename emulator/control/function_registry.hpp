#pragma once
// The control plane's state: every function's $LATEST configuration, its published versions and
// aliases, provisioned-concurrency requests and async settings, persisted in the store.
// Configurations are immutable snapshots (shared_ptr<const>), so an invocation keeps the settings it
// started with while an update installs new ones. Runs on the event-loop thread.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "control/account.hpp"
#include "control/function_config.hpp"

namespace lambdalab::store {
class Store;
}

namespace lambdalab::control {

using FunctionPtr = std::shared_ptr<const FunctionConfig>;

// A qualifier resolved: the configuration that runs, and the version Lambda reports as executed.
struct ResolvedVersion {
    FunctionPtr config;
    std::string version;  // "$LATEST" or a version number
};

class FunctionRegistry {
  public:
    enum class Change {
        created,        // a new function ($LATEST)
        configuration,  // $LATEST's configuration changed: its warm sandboxes go
        code,           // $LATEST's code changed: its warm sandboxes go
        concurrency,    // reserved concurrency
        deleted,        // the function and all its versions
        version_deleted,
        routing,   // aliases or provisioned concurrency: what runs where
        settings,  // async settings, state: nothing to do for running sandboxes
    };
    // `config` is the function's $LATEST, or the version concerned for version_deleted.
    using Listener = std::function<void(const FunctionConfig& config, Change change)>;

    FunctionRegistry(store::Store& store, std::filesystem::path code_root, Account account);

    // Decides a new or reconfigured function's State before it is saved (e.g. Pending while its VPC
    // network interface is made); installed by the scheduler, which knows the network model.
    using StatePolicy = std::function<void(FunctionConfig& config)>;
    void set_state_policy(StatePolicy policy) { state_policy_ = std::move(policy); }

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

    // Versions and aliases.
    FunctionPtr publish_version(const std::string& name, const std::string& description);
    std::vector<FunctionPtr> versions(const std::string& name) const;  // $LATEST first
    void delete_version(const std::string& name, const std::string& version);
    AliasConfig create_alias(const std::string& name, const nlohmann::json& request);
    AliasConfig update_alias(const std::string& name, const std::string& alias, const nlohmann::json& request);
    void delete_alias(const std::string& name, const std::string& alias);
    AliasConfig alias(const std::string& name, const std::string& alias) const;

    // Provisioned concurrency requests, by qualifier (a version or an alias, never $LATEST).
    FunctionPtr set_provisioned(const std::string& name, const std::string& qualifier, std::optional<int> count);
    // Async settings (PutFunctionEventInvokeConfig replaces, UpdateFunctionEventInvokeConfig merges).
    FunctionPtr set_event_invoke(const std::string& name, const nlohmann::json& request, bool merge);
    FunctionPtr delete_event_invoke(const std::string& name);

    FunctionPtr find(const std::string& name) const;
    // Throws AwsException 404 ResourceNotFoundException.
    FunctionPtr get(const std::string& name) const;
    // "" or $LATEST, a version number, or an alias. Throws 404 for an unknown function or qualifier.
    ResolvedVersion resolve(const std::string& name, const std::string& qualifier) const;
    std::vector<FunctionPtr> list() const;
    const Account& account() const { return account_; }

  private:
    FunctionPtr install(FunctionConfig config, Change change);
    void notify(const FunctionConfig& config, Change change);
    std::filesystem::path unpack(const std::string& name, const nlohmann::json& code, FunctionConfig& config);
    // Deletes an unpacked code directory once neither $LATEST nor a version uses it.
    void release_code(const std::string& name, const std::filesystem::path& dir);
    bool code_in_use(const std::string& name, const std::filesystem::path& dir) const;

    store::Store& store_;
    std::filesystem::path code_root_;
    Account account_;
    std::map<std::string, FunctionPtr> functions_;                // $LATEST
    std::map<std::string, std::map<int, FunctionPtr>> versions_;  // published versions
    std::vector<Listener> listeners_;
    StatePolicy state_policy_;
};

// 404 ResourceNotFoundException "Function not found: arn:..."
[[noreturn]] void throw_function_not_found(const Account& account, const std::string& name,
                                           const std::string& qualifier = {});

}  // namespace lambdalab::control
