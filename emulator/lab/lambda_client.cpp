#include "lab/lambda_client.hpp"

#include <thread>

#include "net/http_client.hpp"

namespace lambdalab::lab {

using nlohmann::json;
namespace http = net::http;

CallError::CallError(int status, std::string type, const std::string& message)
    : std::runtime_error("HTTP " + std::to_string(status) + (type.empty() ? "" : " " + type) + ": " + message),
      status_(status),
      type_(std::move(type)) {}

namespace {
std::string function_path(const std::string& api_version, const std::string& function) {
    return "/" + api_version + "/functions/" + net::percent_encode(function);
}
std::string qualified(const std::string& qualifier) {
    return qualifier.empty() ? "" : "?Qualifier=" + net::percent_encode(qualifier);
}
}  // namespace

LambdaClient::LambdaClient(const std::string& endpoint) : endpoint_(endpoint) {
    const net::Url url = net::parse_url(endpoint);
    prefix_ = url.path_prefix;
    http_ = std::make_unique<net::HttpClient>(url.host, url.port);
}

LambdaClient::~LambdaClient() = default;

json LambdaClient::call(const std::string& method, const std::string& path, const std::optional<json>& body) {
    net::Request request{http::string_to_verb(method), prefix_ + path, 11};
    if (body) {
        request.set(http::field::content_type, "application/json");
        request.body() = body->dump();
    }
    const net::Response response = http_->send(std::move(request));
    json parsed = response.body().empty() ? json::object() : json::parse(response.body(), nullptr, false);
    if (response.result_int() >= 300) {
        std::string type;
        if (const auto it = response.find("x-amzn-ErrorType"); it != response.end()) type = std::string(it->value());
        std::string message = response.body();
        if (!parsed.is_discarded() && parsed.is_object()) {
            if (type.empty()) type = parsed.value("error", parsed.value("__type", ""));
            message = parsed.value("message", parsed.value("Message", message));
        }
        throw CallError(static_cast<int>(response.result_int()), type, message);
    }
    if (parsed.is_discarded()) return json(response.body());
    return parsed;
}

json LambdaClient::get_configuration(const std::string& function, const std::string& qualifier) {
    return call("GET", function_path("2015-03-31", function) + "/configuration" + qualified(qualifier));
}

json LambdaClient::update_configuration(const std::string& function, const json& changes) {
    return call("PUT", function_path("2015-03-31", function) + "/configuration", changes);
}

void LambdaClient::wait_until_updated(const std::string& function, std::chrono::seconds timeout,
                                      const std::atomic<bool>* stop, const std::string& qualifier) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto delay = std::chrono::milliseconds(20);
    for (;;) {
        const json config = get_configuration(function, qualifier);
        const std::string state = config.value("State", "Active");
        const std::string update = config.value("LastUpdateStatus", "Successful");
        if (state == "Failed" || update == "Failed") {
            throw CallError(409, config.value("StateReasonCode", config.value("LastUpdateStatusReasonCode", "Failed")),
                            config.value("StateReason", config.value("LastUpdateStatusReason", "the update failed")));
        }
        if (state != "Pending" && update != "InProgress") return;
        if (stop && stop->load()) throw std::runtime_error("interrupted while " + function + " was updating");
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error(function + " still " + state + "/" + update + " after " +
                                     std::to_string(timeout.count()) + " s");
        }
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(500));
    }
}

std::optional<int> LambdaClient::get_reserved_concurrency(const std::string& function) {
    const json answer = call("GET", function_path("2019-09-30", function) + "/concurrency");
    if (answer.contains("ReservedConcurrentExecutions") && answer["ReservedConcurrentExecutions"].is_number()) {
        return answer["ReservedConcurrentExecutions"].get<int>();
    }
    return std::nullopt;
}

void LambdaClient::put_reserved_concurrency(const std::string& function, int concurrency) {
    call("PUT", function_path("2017-10-31", function) + "/concurrency",
         json{{"ReservedConcurrentExecutions", concurrency}});
}

void LambdaClient::delete_reserved_concurrency(const std::string& function) {
    call("DELETE", function_path("2017-10-31", function) + "/concurrency");
}

json LambdaClient::publish_version(const std::string& function, const std::string& description) {
    return call("POST", function_path("2015-03-31", function) + "/versions", json{{"Description", description}});
}

void LambdaClient::set_alias(const std::string& function, const std::string& alias, const std::string& version) {
    try {
        call("GET", function_path("2015-03-31", function) + "/aliases/" + net::percent_encode(alias));
    } catch (const CallError& e) {
        if (e.status() != 404) throw;
        call("POST", function_path("2015-03-31", function) + "/aliases",
             json{{"Name", alias}, {"FunctionVersion", version}});
        return;
    }
    call("PUT", function_path("2015-03-31", function) + "/aliases/" + net::percent_encode(alias),
         json{{"FunctionVersion", version}});
}

void LambdaClient::delete_alias(const std::string& function, const std::string& alias) {
    call("DELETE", function_path("2015-03-31", function) + "/aliases/" + net::percent_encode(alias));
}

void LambdaClient::delete_version(const std::string& function, const std::string& version) {
    call("DELETE", function_path("2015-03-31", function) + qualified(version));
}

json LambdaClient::put_provisioned(const std::string& function, const std::string& qualifier, int concurrency) {
    return call("PUT", function_path("2019-09-30", function) + "/provisioned-concurrency" + qualified(qualifier),
                json{{"ProvisionedConcurrentExecutions", concurrency}});
}

json LambdaClient::get_provisioned(const std::string& function, const std::string& qualifier) {
    return call("GET", function_path("2019-09-30", function) + "/provisioned-concurrency" + qualified(qualifier));
}

void LambdaClient::delete_provisioned(const std::string& function, const std::string& qualifier) {
    call("DELETE", function_path("2019-09-30", function) + "/provisioned-concurrency" + qualified(qualifier));
}

std::optional<json> LambdaClient::lab_info() {
    try {
        return call("GET", "/api/lab");
    } catch (const CallError& e) {
        if (e.status() == 404) return std::nullopt;
        throw;
    }
}

std::int64_t LambdaClient::create_run(const json& run) {
    return call("POST", "/api/runs", run).at("id").get<std::int64_t>();
}

void LambdaClient::add_variant(std::int64_t run, const json& variant) {
    call("POST", "/api/runs/" + std::to_string(run) + "/variants", variant);
}

void LambdaClient::update_variant(std::int64_t run, const std::string& name, const json& fields) {
    call("PUT", "/api/runs/" + std::to_string(run) + "/variants/" + net::percent_encode(name), fields);
}

void LambdaClient::add_samples(std::int64_t run, const json& samples) {
    call("POST", "/api/runs/" + std::to_string(run) + "/samples", samples);
}

json LambdaClient::finish_run(std::int64_t run, const json& fields) {
    return call("POST", "/api/runs/" + std::to_string(run) + "/finish", fields);
}

json LambdaClient::run(std::int64_t run, bool stats) {
    return call("GET", "/api/runs/" + std::to_string(run) + (stats ? "" : "?stats=false"));
}

json LambdaClient::list_runs(std::size_t limit) {
    return call("GET", "/api/runs?limit=" + std::to_string(limit)).value("runs", json::array());
}

}  // namespace lambdalab::lab
