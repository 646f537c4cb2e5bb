#pragma once
// The control plane of the Lambda API: CreateFunction, GetFunction, GetFunctionConfiguration,
// ListFunctions, UpdateFunctionConfiguration, UpdateFunctionCode, DeleteFunction,
// Put/Get/DeleteFunctionConcurrency, GetAccountSettings, PublishVersion, ListVersionsByFunction,
// Create/Get/Update/Delete/ListAliases, Put/Get/Delete/ListProvisionedConcurrencyConfig(s) and
// Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s).
#include "api/request_target.hpp"
#include "net/http_server.hpp"

namespace lambdalab::control {
class FunctionRegistry;
}
namespace lambdalab::scheduler {
class Scheduler;
}

namespace lambdalab::api {

class FunctionsHandler {
  public:
    FunctionsHandler(control::FunctionRegistry& registry, scheduler::Scheduler& scheduler);

    // Handles the request if it is a control-plane operation; false otherwise.
    bool handle(const RequestTarget& target, const net::Request& request, net::Responder& responder);

  private:
    bool handle_versions_and_aliases(const RequestTarget& target, const net::Request& request,
                                     net::Responder& responder);
    bool handle_async_and_provisioned(const RequestTarget& target, const net::Request& request,
                                      net::Responder& responder);

    net::Response create(const net::Request& request);
    net::Response list(const RequestTarget& target);
    net::Response get(const RequestTarget& target);
    net::Response remove(const RequestTarget& target);
    net::Response configuration(const RequestTarget& target);
    net::Response provisioned_config(const std::string& name, const std::string& qualifier);
    net::Response update_configuration(const std::string& name, const net::Request& request);
    net::Response update_code(const std::string& name, const net::Request& request);
    net::Response put_concurrency(const std::string& name, const net::Request& request);
    net::Response get_concurrency(const std::string& name);
    net::Response delete_concurrency(const std::string& name);
    net::Response account_settings();
    std::string function_name(const std::string& in_path) const;

    control::FunctionRegistry& registry_;
    scheduler::Scheduler& scheduler_;
};

}  // namespace lambdalab::api
