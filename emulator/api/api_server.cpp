#include "api/api_server.hpp"

#include <cstdio>

#include "api/aws_reply.hpp"

namespace lambdalab::api {

namespace http = net::http;

namespace {

constexpr std::size_t kMaxControlPlaneBody = 70167211;  // CreateFunction's limit (a 50 MB zip, base64)

bool is_invocation(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    return path.ends_with("/invocations") || path.ends_with("/invocations/");
}

net::ServerOptions front_door_options() {
    net::ServerOptions options;
    options.header_limit = 16 * 1024;
    options.body_limit = [](const net::Request& header) {
        const std::string_view target(header.target().data(), header.target().size());
        return is_invocation(target) ? kMaxSyncPayload : kMaxControlPlaneBody;
    };
    options.on_too_large = [](const net::Request& header, std::size_t) {
        const std::string_view target(header.target().data(), header.target().size());
        const std::string message = is_invocation(target)
                                        ? "Request must be smaller than " + std::to_string(kMaxSyncPayload) +
                                              " bytes for the InvokeFunction operation"
                                        : "Request must be smaller than " + std::to_string(kMaxControlPlaneBody) +
                                              " bytes for the CreateFunction operation";
        return aws_error_reply({413, "RequestEntityTooLargeException", message, {}});
    };
    options.on_bad_request = [](http::status status, std::string_view reason) {
        return aws_error_reply({static_cast<int>(status),
                                "InvalidRequestContentException",
                                "Malformed HTTP request: " + std::string(reason),
                                {}});
    };
    options.idle_timeout = std::chrono::seconds(120);
    return options;
}

}  // namespace

ApiServer::ApiServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                     control::FunctionRegistry& registry, scheduler::Scheduler& scheduler, scheduler::AsyncQueue& queue)
    : invoke_(registry, scheduler, queue),
      functions_(registry, scheduler),
      server_(io, host, port, front_door_options(), [this](net::Request&& request, net::Responder responder) {
          handle(std::move(request), std::move(responder));
      }) {}

void ApiServer::handle(net::Request&& request, net::Responder responder) {
    try {
        route(std::move(request), responder);
    } catch (const AwsException& e) {
        if (responder) responder(aws_error_reply(e.error()));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lambdalab: internal error: %s\n", e.what());
        if (responder)
            responder(aws_error_reply({500, "ServiceException", std::string("Internal error: ") + e.what(), {}}));
    }
}

void ApiServer::route(net::Request&& request, net::Responder& responder) {
    const std::string_view raw(request.target().data(), request.target().size());
    const auto target = parse_target(raw);
    if (!target)
        throw AwsException({400, "InvalidRequestContentException", "Malformed request path: " + std::string(raw), {}});
    const auto& s = target->segments;
    const auto method = request.method();
    // Invocations first: they are the hot path, and no extension serves a dated Lambda path.
    if (s.size() == 4 && s[1] == "functions" && method == http::verb::post) {
        if (s[0] == "2015-03-31" && s[3] == "invocations")
            return invoke_.invoke(*target, std::move(request), responder);
        if (s[0] == "2014-11-13" && s[3] == "invoke-async") {
            return invoke_.invoke_async_legacy(*target, std::move(request), responder);
        }
    }
    for (const auto& extension : extensions_) {
        if (extension(*target, request, responder)) return;
    }
    if (functions_.handle(*target, request, responder)) return;
    throw AwsException({404,
                        "UnknownOperationException",
                        "Unknown operation: " + std::string(request.method_string()) + " " + std::string(raw),
                        {}});
}

}  // namespace lambdalab::api
