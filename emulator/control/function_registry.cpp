#include "control/function_registry.hpp"

#include <nlohmann/json.hpp>

#include "common/aws_error.hpp"
#include "common/base64.hpp"
#include "common/ids.hpp"
#include "common/time_format.hpp"
#include "control/code_package.hpp"
#include "control/function_request.hpp"
#include "store/store.hpp"

namespace lambdalab::control {

using nlohmann::json;
namespace fs = std::filesystem;

void throw_function_not_found(const Account& account, const std::string& name, const std::string& qualifier) {
    throw AwsException({404, "ResourceNotFoundException", "Function not found: " + function_arn(account, name, qualifier), {}});
}

FunctionRegistry::FunctionRegistry(store::Store& store, fs::path code_root, Account account)
    : store_(store), code_root_(std::move(code_root)), account_(std::move(account)) {}

void FunctionRegistry::load() {
    for (const auto& row : store_.reader().functions()) {
        try {
            auto config = std::make_shared<FunctionConfig>(from_stored_json(json::parse(row.config_json)));
            functions_[config->name] = config;
            for (const auto& listener : listeners_) listener(*config, Change::created);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "lambdalab: skipping stored function %s: %s\n", row.name.c_str(), e.what());
        }
    }
}

FunctionPtr FunctionRegistry::install(FunctionConfig config, Change change) {
    config.last_modified = lambda_timestamp(std::chrono::system_clock::now());
    config.revision_id = new_uuid();
    auto ptr = std::make_shared<const FunctionConfig>(std::move(config));
    store_.save_function(ptr->name, to_stored_json(*ptr, account_).dump());
    functions_[ptr->name] = ptr;
    for (const auto& listener : listeners_) listener(*ptr, change);
    return ptr;
}

fs::path FunctionRegistry::unpack(const std::string& name, const json& code, FunctionConfig& config) {
    if (!code.is_object()) throw_invalid_parameter("Code must be an object with ZipFile");
    if (code.contains("S3Bucket") || code.contains("ImageUri")) {
        throw_invalid_parameter("lambdalab takes code as Code.ZipFile (fileb://function.zip); S3 and image code are not supported");
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

void FunctionRegistry::release_code(const FunctionConfig& old, const FunctionConfig& next) {
    if (old.code_owned && old.code_dir != next.code_dir) {
        std::error_code ec;
        fs::remove_all(old.code_dir, ec);
    }
}

FunctionPtr FunctionRegistry::create(const json& request) {
    FunctionConfig config;
    apply_configuration(config, request, /*creating=*/true);
    if (functions_.contains(config.name)) {
        throw AwsException({409, "ResourceConflictException", "Function already exist: " + config.name, {}});
    }
    if (!request.contains("Code")) throw_invalid_parameter("Code is required");
    unpack(config.name, request["Code"], config);
    return install(std::move(config), Change::created);
}

FunctionPtr FunctionRegistry::declare(const json& entry, const fs::path& base_dir) {
    FunctionConfig config;
    apply_configuration(config, entry, /*creating=*/true);
    if (entry.contains("ReservedConcurrentExecutions")) config.reserved_concurrency = entry["ReservedConcurrentExecutions"].get<int>();
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
    release_code(*existing->second, config);
    return install(std::move(config), Change::code);
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
    if (request.contains("Architectures")) apply_configuration(config, json{{"Architectures", request["Architectures"]}}, false);
    release_code(*old, config);
    return install(std::move(config), Change::code);
}

void FunctionRegistry::remove(const std::string& name) {
    const FunctionPtr old = get(name);
    functions_.erase(name);
    store_.delete_function(name);
    if (old->code_owned) {
        std::error_code ec;
        fs::remove_all(old->code_dir, ec);
    }
    for (const auto& listener : listeners_) listener(*old, Change::deleted);
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
    return install(std::move(config), Change::configuration);
}

FunctionPtr FunctionRegistry::find(const std::string& name) const {
    const auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : it->second;
}

FunctionPtr FunctionRegistry::get(const std::string& name) const {
    if (auto config = find(name)) return config;
    throw_function_not_found(account_, name);
}

std::vector<FunctionPtr> FunctionRegistry::list() const {
    std::vector<FunctionPtr> out;
    for (const auto& [name, config] : functions_) out.push_back(config);
    return out;
}

}  // namespace lambdalab::control
