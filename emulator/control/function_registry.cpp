#include "control/function_registry.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/aws_error.hpp"
#include "common/base64.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"
#include "control/code_package.hpp"
#include "control/function_name.hpp"
#include "control/function_request.hpp"
#include "store/store.hpp"

namespace lambdalab::control {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool is_version_number(std::string_view text) {
    return !text.empty() && text.size() < 10 &&
           std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

[[noreturn]] void conflict(std::string message) {
    throw AwsException({409, "ResourceConflictException", std::move(message), {}});
}

[[noreturn]] void not_found(std::string message) {
    throw AwsException({404, "ResourceNotFoundException", std::move(message), {}});
}

std::string string_or_empty(const json& request, const char* key) {
    if (!request.contains(key) || request[key].is_null()) return {};
    if (!request[key].is_string()) throw_invalid_parameter(std::string(key) + " must be a string");
    return request[key].get<std::string>();
}

void check_alias_name(const std::string& alias) {
    const bool valid = !alias.empty() && alias.size() <= 128 && !is_version_number(alias) && alias != "$LATEST" &&
                       std::all_of(alias.begin(), alias.end(), [](char c) {
                           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                       });
    if (!valid) {
        throw_invalid_parameter("1 validation error detected: Value '" + alias +
                                "' at 'name' failed to satisfy constraint: Member must satisfy regular expression "
                                "pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    }
}

}  // namespace

void throw_function_not_found(const Account& account, const std::string& name, const std::string& qualifier) {
    not_found("Function not found: " + function_arn(account, name, qualifier));
}

FunctionRegistry::FunctionRegistry(store::Store& store, fs::path code_root, Account account)
    : store_(store), code_root_(std::move(code_root)), account_(std::move(account)) {}

void FunctionRegistry::load() {
    for (const auto& row : store_.reader().functions()) {
        try {
            auto config = std::make_shared<const FunctionConfig>(from_stored_json(json::parse(row.config_json)));
            if (row.version == "$LATEST") {
                functions_[config->name] = config;
                notify(*config, Change::created);
            } else if (functions_.contains(row.name)) {
                versions_[row.name][std::stoi(row.version)] = config;
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "lambdalab: skipping stored function %s:%s: %s\n", row.name.c_str(),
                         row.version.c_str(), e.what());
        }
    }
    // Provisioned concurrency needs the versions: announce it once they are all known.
    for (const auto& [name, config] : functions_) {
        if (!config->provisioned.empty()) notify(*config, Change::routing);
    }
}

void FunctionRegistry::notify(const FunctionConfig& config, Change change) {
    for (const auto& listener : listeners_) listener(config, change);
}

FunctionPtr FunctionRegistry::install(FunctionConfig config, Change change) {
    config.last_modified = lambda_timestamp(std::chrono::system_clock::now());
    // A new revision for what changes the code or configuration (PublishVersion compares them).
    if (change == Change::created || change == Change::configuration || change == Change::code) {
        config.revision_id = new_uuid();
    }
    if ((change == Change::created || change == Change::configuration) && state_policy_) state_policy_(config);
    auto ptr = std::make_shared<const FunctionConfig>(std::move(config));
    store_.save_function(ptr->name, "$LATEST", to_stored_json(*ptr, account_).dump());
    functions_[ptr->name] = ptr;
    notify(*ptr, change);
    return ptr;
}

fs::path FunctionRegistry::unpack(const std::string& name, const json& code, FunctionConfig& config) {
    if (!code.is_object()) throw_invalid_parameter("Code must be an object with ZipFile");
    if (code.contains("S3Bucket") || code.contains("ImageUri")) {
        throw_invalid_parameter(
            "lambdalab takes code as Code.ZipFile (fileb://function.zip); S3 and image code are not supported");
    }
    if (!code.contains("ZipFile") || !code["ZipFile"].is_string()) throw_invalid_parameter("Code.ZipFile is required");
    const auto zip = base64_decode(code["ZipFile"].get<std::string>());
    if (!zip) throw_invalid_parameter("Code.ZipFile is not valid base64");
    const fs::path dest = code_root_ / (name + "-" + random_hex(12));
    const CodePackage package = unpack_zip(*zip, dest);
    config.code_dir = package.dir;
    config.code_owned = true;
    config.code_size = package.size;
    config.code_sha256 = package.sha256;
    return dest;
}

bool FunctionRegistry::code_in_use(const std::string& name, const fs::path& dir) const {
    if (auto latest = find(name); latest && latest->code_dir == dir) return true;
    const auto versions = versions_.find(name);
    if (versions == versions_.end()) return false;
    return std::any_of(versions->second.begin(), versions->second.end(),
                       [&](const auto& entry) { return entry.second->code_dir == dir; });
}

void FunctionRegistry::release_code(const std::string& name, const fs::path& dir) {
    if (code_in_use(name, dir) || !dir.string().starts_with(code_root_.string())) return;
    std::error_code ec;
    fs::remove_all(dir, ec);
}

FunctionPtr FunctionRegistry::create(const json& request) {
    FunctionConfig config;
    apply_configuration(config, request, /*creating=*/true);
    if (functions_.contains(config.name)) conflict("Function already exist: " + config.name);
    if (!request.contains("Code")) throw_invalid_parameter("Code is required");
    unpack(config.name, request["Code"], config);
    auto created = install(std::move(config), Change::created);
    if (request.value("Publish", false)) return publish_version(created->name, "");
    return created;
}

FunctionPtr FunctionRegistry::declare(const json& entry, const fs::path& base_dir) {
    FunctionConfig config;
    apply_configuration(config, entry, /*creating=*/true);
    if (entry.contains("ReservedConcurrentExecutions"))
        config.reserved_concurrency = entry["ReservedConcurrentExecutions"].get<int>();
    if (entry.contains("CodeDirectory")) {
        const CodePackage package = describe_directory(base_dir / entry["CodeDirectory"].get<std::string>());
        config.code_dir = package.dir;
        config.code_size = package.size;
        config.code_sha256 = package.sha256;
    } else if (entry.contains("Code")) {
        unpack(config.name, entry["Code"], config);
    } else {
        throw_invalid_parameter("function " + config.name + " needs CodeDirectory or Code.ZipFile");
    }
    const auto existing = functions_.find(config.name);
    if (existing == functions_.end()) return install(std::move(config), Change::created);
    // A redeclared function keeps its versions, aliases and async settings.
    const FunctionPtr old = existing->second;
    config.aliases = old->aliases;
    config.provisioned = old->provisioned;
    config.event_invoke = old->event_invoke;
    config.last_version = old->last_version;
    config.published_revision = old->published_revision;
    auto installed = install(std::move(config), Change::code);
    if (old->code_dir != installed->code_dir) release_code(installed->name, old->code_dir);
    return installed;
}

FunctionPtr FunctionRegistry::update_configuration(const std::string& name, const json& request) {
    FunctionConfig config = *get(name);
    apply_configuration(config, request, /*creating=*/false);
    return install(std::move(config), Change::configuration);
}

FunctionPtr FunctionRegistry::update_code(const std::string& name, const json& request) {
    const FunctionPtr old = get(name);
    FunctionConfig config = *old;
    unpack(name, request, config);
    if (request.contains("Architectures"))
        apply_configuration(config, json{{"Architectures", request["Architectures"]}}, false);
    auto installed = install(std::move(config), Change::code);
    release_code(name, old->code_dir);
    if (request.value("Publish", false)) return publish_version(name, "");
    return installed;
}

void FunctionRegistry::remove(const std::string& name) {
    const FunctionPtr old = get(name);
    std::vector<fs::path> dirs{old->code_dir};
    for (const auto& [number, version] : versions_[name]) dirs.push_back(version->code_dir);
    functions_.erase(name);
    versions_.erase(name);
    store_.delete_function(name);
    for (const auto& dir : dirs) release_code(name, dir);
    notify(*old, Change::deleted);
}

FunctionPtr FunctionRegistry::set_reserved_concurrency(const std::string& name, std::optional<int> reserved) {
    FunctionConfig config = *get(name);
    config.reserved_concurrency = reserved;
    return install(std::move(config), Change::concurrency);
}

FunctionPtr FunctionRegistry::set_state(const std::string& name, std::string state, std::string reason,
                                        std::string reason_code) {
    FunctionConfig config = *get(name);
    config.state = std::move(state);
    config.state_reason = std::move(reason);
    config.state_reason_code = std::move(reason_code);
    return install(std::move(config), Change::settings);
}

FunctionPtr FunctionRegistry::publish_version(const std::string& name, const std::string& description) {
    const FunctionPtr latest = get(name);
    // Nothing changed since the last version: Lambda returns that version instead of a new one.
    if (latest->last_version > 0 && latest->published_revision == latest->revision_id) {
        return versions_[name].at(latest->last_version);
    }
    FunctionConfig snapshot = *latest;
    snapshot.version = std::to_string(latest->last_version + 1);
    if (!description.empty()) snapshot.description = description;
    snapshot.aliases.clear();
    snapshot.provisioned.clear();
    snapshot.event_invoke.reset();
    snapshot.last_version = 0;
    snapshot.published_revision.clear();
    snapshot.revision_id = new_uuid();
    auto version = std::make_shared<const FunctionConfig>(std::move(snapshot));
    store_.save_function(name, version->version, to_stored_json(*version, account_).dump());
    versions_[name][latest->last_version + 1] = version;

    FunctionConfig updated = *latest;
    updated.last_version = latest->last_version + 1;
    updated.published_revision = latest->revision_id;
    install(std::move(updated), Change::settings);
    return version;
}

std::vector<FunctionPtr> FunctionRegistry::versions(const std::string& name) const {
    std::vector<FunctionPtr> out{get(name)};
    if (const auto it = versions_.find(name); it != versions_.end()) {
        for (const auto& [number, version] : it->second) out.push_back(version);
    }
    return out;
}

void FunctionRegistry::delete_version(const std::string& name, const std::string& version) {
    const FunctionPtr latest = get(name);
    if (version == "$LATEST")
        throw_invalid_parameter("$LATEST version cannot be deleted without deleting the function.");
    const ResolvedVersion target = resolve(name, version);
    if (!is_version_number(version)) throw_invalid_parameter("Qualifier " + version + " is not a version number");
    std::vector<std::string> referencing;
    for (const auto& [alias, config] : latest->aliases) {
        if (config.function_version == version) referencing.push_back(alias);
    }
    if (!referencing.empty()) {
        std::string list;
        for (const auto& alias : referencing) list += (list.empty() ? "" : ", ") + alias;
        conflict("Unable to delete version because the following aliases reference it: [" + list + "]");
    }
    versions_[name].erase(std::stoi(version));
    store_.delete_function_version(name, version);
    if (latest->provisioned.contains(version)) {
        FunctionConfig updated = *latest;
        updated.provisioned.erase(version);
        install(std::move(updated), Change::routing);
    }
    release_code(name, target.config->code_dir);
    notify(*target.config, Change::version_deleted);
}

AliasConfig FunctionRegistry::create_alias(const std::string& name, const json& request) {
    FunctionConfig config = *get(name);
    const std::string alias = string_or_empty(request, "Name");
    check_alias_name(alias);
    const std::string version = string_or_empty(request, "FunctionVersion");
    if (version.empty()) throw_invalid_parameter("FunctionVersion is required");
    if (version != "$LATEST" && !is_version_number(version))
        throw_invalid_parameter("FunctionVersion must be $LATEST or a version number");
    resolve(name, version);
    if (config.aliases.contains(alias)) conflict("Alias already exists: " + function_arn(account_, name, alias));
    AliasConfig created{alias, version, string_or_empty(request, "Description"), new_uuid()};
    config.aliases[alias] = created;
    install(std::move(config), Change::routing);
    return created;
}

AliasConfig FunctionRegistry::update_alias(const std::string& name, const std::string& alias, const json& request) {
    FunctionConfig config = *get(name);
    AliasConfig updated = this->alias(name, alias);
    if (request.contains("FunctionVersion")) {
        const std::string version = string_or_empty(request, "FunctionVersion");
        if (version != "$LATEST" && !is_version_number(version))
            throw_invalid_parameter("FunctionVersion must be $LATEST or a version number");
        resolve(name, version);
        updated.function_version = version;
    }
    if (request.contains("Description")) updated.description = string_or_empty(request, "Description");
    updated.revision_id = new_uuid();
    config.aliases[alias] = updated;
    install(std::move(config), Change::routing);
    return updated;
}

void FunctionRegistry::delete_alias(const std::string& name, const std::string& alias) {
    FunctionConfig config = *get(name);
    this->alias(name, alias);
    config.aliases.erase(alias);
    config.provisioned.erase(alias);
    install(std::move(config), Change::routing);
}

AliasConfig FunctionRegistry::alias(const std::string& name, const std::string& alias) const {
    const FunctionPtr latest = get(name);
    const auto it = latest->aliases.find(alias);
    if (it == latest->aliases.end()) not_found("Alias not found: " + function_arn(account_, name, alias));
    return it->second;
}

FunctionPtr FunctionRegistry::set_provisioned(const std::string& name, const std::string& qualifier,
                                              std::optional<int> count) {
    FunctionConfig config = *get(name);
    if (qualifier.empty() || qualifier == "$LATEST") {
        throw_invalid_parameter("Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
    }
    resolve(name, qualifier);
    if (count) {
        if (*count < 1) throw_invalid_parameter("ProvisionedConcurrentExecutions must be at least 1");
        config.provisioned[qualifier] = *count;
    } else {
        if (!config.provisioned.contains(qualifier)) {
            throw AwsException({404,
                                "ProvisionedConcurrencyConfigNotFoundException",
                                "No Provisioned Concurrency Config found for this function",
                                {}});
        }
        config.provisioned.erase(qualifier);
    }
    return install(std::move(config), Change::routing);
}

FunctionPtr FunctionRegistry::set_event_invoke(const std::string& name, const json& request, bool merge) {
    FunctionConfig config = *get(name);
    EventInvokeConfig event = merge && config.event_invoke ? *config.event_invoke : EventInvokeConfig{};
    if (request.contains("MaximumRetryAttempts")) {
        const json& v = request["MaximumRetryAttempts"];
        if (!v.is_number_integer() || v.get<int>() < 0 || v.get<int>() > 2) {
            throw_invalid_parameter("1 validation error detected: Value '" + v.dump() +
                                    "' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value "
                                    "between 0 and 2");
        }
        event.maximum_retry_attempts = v.get<int>();
    }
    if (request.contains("MaximumEventAgeInSeconds")) {
        const json& v = request["MaximumEventAgeInSeconds"];
        if (!v.is_number_integer() || v.get<int>() < 60 || v.get<int>() > 21600) {
            throw_invalid_parameter("1 validation error detected: Value '" + v.dump() +
                                    "' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have "
                                    "value between 60 and 21600");
        }
        event.maximum_event_age_s = v.get<int>();
    }
    if (request.contains("DestinationConfig") && request["DestinationConfig"].is_object()) {
        const json& destinations = request["DestinationConfig"];
        for (const auto& [key, field] :
             {std::pair{"OnSuccess", &event.on_success}, std::pair{"OnFailure", &event.on_failure}}) {
            if (!destinations.contains(key)) continue;
            const std::string arn = destinations[key].is_object() ? destinations[key].value("Destination", "") : "";
            if (!arn.empty() && !arn.starts_with("arn:"))
                throw_invalid_parameter(std::string(key) + ".Destination must be an ARN");
            *field = arn;
        }
    }
    event.last_modified = static_cast<double>(epoch_ms_now()) / 1000.0;
    config.event_invoke = event;
    return install(std::move(config), Change::settings);
}

FunctionPtr FunctionRegistry::delete_event_invoke(const std::string& name) {
    FunctionConfig config = *get(name);
    if (!config.event_invoke) {
        not_found("The function " + function_arn(account_, name) + " doesn't have an EventInvokeConfig");
    }
    config.event_invoke.reset();
    return install(std::move(config), Change::settings);
}

FunctionPtr FunctionRegistry::find(const std::string& name) const {
    const auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : it->second;
}

FunctionPtr FunctionRegistry::get(const std::string& name) const {
    if (auto config = find(name)) return config;
    throw_function_not_found(account_, name);
}

ResolvedVersion FunctionRegistry::resolve(const std::string& name, const std::string& qualifier) const {
    const FunctionPtr latest = find(name);
    if (!latest) throw_function_not_found(account_, name, qualifier);
    if (qualifier.empty() || qualifier == "$LATEST") return {latest, "$LATEST"};
    if (is_version_number(qualifier)) {
        const auto versions = versions_.find(name);
        if (versions != versions_.end()) {
            if (const auto it = versions->second.find(std::stoi(qualifier)); it != versions->second.end())
                return {it->second, qualifier};
        }
        throw_function_not_found(account_, name, qualifier);
    }
    const auto alias = latest->aliases.find(qualifier);
    if (alias == latest->aliases.end()) throw_function_not_found(account_, name, qualifier);
    return resolve(name, alias->second.function_version);
}

std::vector<FunctionPtr> FunctionRegistry::list() const {
    std::vector<FunctionPtr> out;
    for (const auto& [name, config] : functions_) out.push_back(config);
    return out;
}

}  // namespace lambdalab::control
