#include "dynamodb/dynamodb_service.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>
#include <cstdio>
#include <stdexcept>

#include "dynamodb/dynamodb_reply.hpp"

namespace lambdalab::dynamodb {

namespace {

namespace http = net::http;

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::size_t kMaxRequestBytes = 16 * 1024 * 1024;  // DynamoDB's limit on a request

net::ServerOptions server_options() {
    net::ServerOptions options;
    options.body_limit = [](const net::Request&) { return kMaxRequestBytes; };
    options.on_too_large = [](const net::Request&, std::size_t) {
        return error_reply(
            {"RequestEntityTooLargeException",
             "Request must be smaller than " + std::to_string(kMaxRequestBytes) + " bytes for the DynamoDB operation",
             {},
             413});
    };
    options.on_bad_request = [](http::status status, std::string_view reason) {
        return error_reply(
            {"SerializationException", "Malformed HTTP request: " + std::string(reason), {}, static_cast<int>(status)});
    };
    options.idle_timeout = std::chrono::seconds(300);
    return options;
}

}  // namespace

DynamoDbService::DynamoDbService(DynamoDbServiceOptions options)
    : options_(std::move(options)),
      store_(options_.database),
      operations_(store_, {options_.region, options_.account_id}) {
    const auto handler = [this](net::Request&& request, net::Responder responder) {
        handle(std::move(request), std::move(responder));
    };
    try {
        server_ = std::make_unique<net::HttpServer>(io_, options_.host, options_.port, server_options(), handler);
    } catch (const boost::system::system_error& e) {
        if (!options_.fall_back_to_free_port || e.code() != boost::asio::error::address_in_use) {
            throw std::runtime_error("cannot serve the DynamoDB API on " + options_.host + ":" +
                                     std::to_string(options_.port) + ": " + e.code().message() +
                                     " (choose another with --dynamodb-port)");
        }
        std::fprintf(stderr, "lambdalab: port %u is taken; DynamoDB listens on a free port instead\n",
                     static_cast<unsigned>(options_.port));
        server_ = std::make_unique<net::HttpServer>(io_, options_.host, 0, server_options(), handler);
    }
    port_ = server_->port();
    thread_ = std::thread([this] { io_.run(); });
}

DynamoDbService::~DynamoDbService() {
    stop();
    server_.reset();  // before the io_context it was built on
}

void DynamoDbService::stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(io_, [this] {
        server_->close();
        io_.stop();
    });
    thread_.join();
}

void DynamoDbService::handle(net::Request&& request, net::Responder responder) {
    const auto arrived = std::chrono::steady_clock::now();
    net::Response response = answer(request);
    // The latency counts from arrival, so our own work is part of it rather than added to it.
    const auto due = arrived + options_.latency.sample(random_);
    if (due <= std::chrono::steady_clock::now()) return responder(std::move(response));
    auto timer = std::make_shared<boost::asio::steady_timer>(io_, due);
    timer->async_wait([timer, responder = std::move(responder), response = std::move(response)](
                          boost::system::error_code) mutable { responder(std::move(response)); });
}

net::Response DynamoDbService::answer(const net::Request& request) {
    if (request.method() == http::verb::get && request.target() == "/") {
        // DynamoDB's endpoints answer a plain GET like this; handy as a health check.
        return net::make_response(http::status::ok, "healthy: dynamodb." + options_.region + ".amazonaws.com ",
                                  "text/plain");
    }
    const auto header = request.find("X-Amz-Target");
    const std::string_view full =
        header == request.end() ? std::string_view{} : std::string_view(header->value().data(), header->value().size());
    if (request.method() != http::verb::post || !full.starts_with(kTargetPrefix)) {
        return error_reply({"UnknownOperationException",
                            "Unknown operation: expected POST / with X-Amz-Target: DynamoDB_20120810.<Operation>"});
    }
    const std::string_view operation = full.substr(kTargetPrefix.size());
    if (!Operations::supports(operation)) {
        return error_reply(
            {"UnknownOperationException", "lambdalab's DynamoDB does not implement " + std::string(operation)});
    }
    try {
        const std::string& body = request.body();
        if (body.empty()) throw_serialization("The request body is empty");
        nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
        if (parsed.is_discarded()) throw_serialization("The request body is not valid JSON");
        return json_reply(operations_.run(operation, parsed));
    } catch (const DynamoException& e) {
        return error_reply(e.error());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lambdalab: DynamoDB %.*s failed: %s\n", static_cast<int>(operation.size()),
                     operation.data(), e.what());
        return error_reply({"InternalServerError", std::string("Internal server error: ") + e.what(), {}, 500});
    }
}

}  // namespace lambdalab::dynamodb
