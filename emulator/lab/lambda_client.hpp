#pragma once
// The runner's synchronous calls to an emulator: Lambda's control plane (as the AWS SDK sends them:
// UpdateFunctionConfiguration, Put/DeleteFunctionConcurrency, PublishVersion, aliases, provisioned
// concurrency) and the lab API (docs/api.md). One keep-alive connection; one client per thread.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace lambdalab::net {
class HttpClient;
}

namespace lambdalab::lab {

// An answer other than 2xx: "HTTP 400 InvalidParameterValueException: <message>".
class CallError : public std::runtime_error {
  public:
    CallError(int status, std::string type, const std::string& message);
    int status() const { return status_; }
    const std::string& type() const { return type_; }

  private:
    int status_;
    std::string type_;
};

class LambdaClient {
  public:
    explicit LambdaClient(const std::string& endpoint);
    ~LambdaClient();
    const std::string& endpoint() const { return endpoint_; }

    // Control plane. Throw CallError.
    nlohmann::json get_configuration(const std::string& function, const std::string& qualifier = "");
    nlohmann::json update_configuration(const std::string& function, const nlohmann::json& changes);
    // Polls until the function is Active and its last update Successful (Lambda's functionUpdated
    // waiter). Throws CallError when the update failed, std::runtime_error on timeout or stop.
    void wait_until_updated(const std::string& function, std::chrono::seconds timeout, const std::atomic<bool>* stop,
                            const std::string& qualifier = "");
    std::optional<int> get_reserved_concurrency(const std::string& function);
    void put_reserved_concurrency(const std::string& function, int concurrency);
    void delete_reserved_concurrency(const std::string& function);
    nlohmann::json publish_version(const std::string& function, const std::string& description);
    // CreateAlias, or UpdateAlias when it exists.
    void set_alias(const std::string& function, const std::string& alias, const std::string& version);
    void delete_alias(const std::string& function, const std::string& alias);
    void delete_version(const std::string& function, const std::string& version);
    nlohmann::json put_provisioned(const std::string& function, const std::string& qualifier, int concurrency);
    nlohmann::json get_provisioned(const std::string& function, const std::string& qualifier);
    void delete_provisioned(const std::string& function, const std::string& qualifier);

    // The lab API. lab_info() is nullopt when the emulator has no lab API (404).
    std::optional<nlohmann::json> lab_info();
    std::int64_t create_run(const nlohmann::json& run);
    void add_variant(std::int64_t run, const nlohmann::json& variant);
    void update_variant(std::int64_t run, const std::string& name, const nlohmann::json& fields);
    void add_samples(std::int64_t run, const nlohmann::json& samples);
    nlohmann::json finish_run(std::int64_t run, const nlohmann::json& fields);
    nlohmann::json run(std::int64_t run, bool stats = true);
    nlohmann::json list_runs(std::size_t limit);

    // Any request; throws CallError for a status >= 300.
    nlohmann::json call(const std::string& method, const std::string& path,
                        const std::optional<nlohmann::json>& body = {});

  private:
    std::string endpoint_;
    std::string prefix_;
    std::unique_ptr<net::HttpClient> http_;
};

}  // namespace lambdalab::lab
