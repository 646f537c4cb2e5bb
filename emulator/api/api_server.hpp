#pragma once
// The emulator's front door on 127.0.0.1:9000: the Lambda Invoke API and control plane (what AWS CLI
// and SDKs call), answering every failure in Lambda's error shape.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/functions_handler.hpp"
#include "api/invoke_handler.hpp"
#include "net/http_server.hpp"

namespace lambdalab::api {

class ApiServer {
  public:
    // Extra routes (the lab's and the web UI's, under /api/ and undated paths) see every request but an
    // invocation, before the control plane; they return true when they answered it.
    using Extension = std::function<bool(const RequestTarget&, net::Request&, net::Responder&)>;

    ApiServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
              control::FunctionRegistry& registry, scheduler::Scheduler& scheduler, scheduler::AsyncQueue& queue);

    std::uint16_t port() const { return server_.port(); }
    void add_extension(Extension extension) { extensions_.push_back(std::move(extension)); }
    void stop_accepting() { server_.stop_accepting(); }
    void close() { server_.close(); }

  private:
    void handle(net::Request&& request, net::Responder responder);
    void route(net::Request&& request, net::Responder& responder);

    InvokeHandler invoke_;
    FunctionsHandler functions_;
    std::vector<Extension> extensions_;
    net::HttpServer server_;
};

}  // namespace lambdalab::api
