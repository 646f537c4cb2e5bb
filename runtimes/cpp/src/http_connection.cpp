// Beast and Asio are used header-only here: the runtime is linked into functions, not into the emulator.
#include "http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>

namespace lambdalab::runtime::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;

// Splits "127.0.0.1:9001" or "[::1]:9001".
std::pair<std::string, std::string> split_host_port(std::string_view host_port) {
    const auto colon = host_port.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == host_port.size()) {
        throw std::invalid_argument("Runtime API address must be host:port, got '" + std::string(host_port) + "'");
    }
    auto host = host_port.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    return {std::string(host), std::string(host_port.substr(colon + 1))};
}

// What a write or read on a kept-alive socket reports when the server had already closed it while idle.
bool is_stale_connection(const beast::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe;
}

// Plain messages: boost::system_error::what() would append the Beast source location.
[[noreturn]] void fail(const std::string& what, const beast::error_code& ec) {
    throw std::runtime_error(what + ": " + ec.message());
}

}  // namespace

std::string_view HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (beast::iequals(key, name)) return value;
    }
    return {};
}

struct HttpConnection::Impl {
    asio::io_context io;
    tcp::socket socket{io};
    tcp::resolver::results_type endpoints;
    std::string host_header;
    beast::flat_buffer buffer;
    bool reused = false;  // an exchange has completed on the open socket

    explicit Impl(std::string_view host_port) : host_header(host_port) {
        const auto [host, port] = split_host_port(host_port);
        beast::error_code ec;
        endpoints = tcp::resolver(io).resolve(host, port, ec);
        if (ec) fail("resolve " + host_header, ec);
    }

    void connect() {
        beast::error_code ec;
        asio::connect(socket, endpoints, ec);
        if (ec) {
            close();  // a failed connect leaves the socket open but unconnected
            fail("connect to " + host_header, ec);
        }
        // Requests are small and latency-bound; never let Nagle hold back a write. Failing to set it only
        // costs latency, so the error is ignored.
        socket.set_option(tcp::no_delay(true), ec);
    }

    void close() {
        beast::error_code ignored;
        socket.close(ignored);
        buffer.clear();
        reused = false;
    }

    // Retries once on a fresh connection when a reused one turns out to be closed: the server dropped it
    // before reading our request, so resending cannot duplicate anything.
    HttpResponse send(const Request& request) {
        if (!socket.is_open()) connect();
        const bool was_reused = reused;
        beast::error_code ec;
        auto response = exchange(request, ec);
        if (ec && was_reused && is_stale_connection(ec)) {
            close();
            connect();
            response = exchange(request, ec);
        }
        if (ec) {
            close();
            fail(std::string(request.target()), ec);
        }
        return response;
    }

    HttpResponse exchange(const Request& request, beast::error_code& ec) {
        http::write(socket, request, ec);
        if (ec) return {};
        http::response_parser<http::string_body> parser;
        parser.header_limit(64 * 1024);
        parser.body_limit(boost::none);  // events are limited by the emulator, not here
        http::read(socket, buffer, parser, ec);
        if (ec) return {};

        auto message = parser.release();
        reused = message.keep_alive();
        if (!reused) close();

        HttpResponse response{static_cast<int>(message.result_int()), {}, std::move(message.body())};
        for (const auto& field : message) response.headers.emplace_back(field.name_string(), field.value());
        return response;
    }

    Request make_request(http::verb verb, std::string_view target) const {
        Request request{verb, target, 11};
        request.set(http::field::host, host_header);
        request.set(http::field::user_agent, "lambdalab-cpp-runtime/0.1");
        return request;
    }
};

HttpConnection::HttpConnection(std::string_view host_port) : impl_(std::make_unique<Impl>(host_port)) {}

HttpConnection::~HttpConnection() = default;

HttpResponse HttpConnection::get(std::string_view target) {
    return impl_->send(impl_->make_request(http::verb::get, target));
}

HttpResponse HttpConnection::post(std::string_view target, std::string body, const Headers& headers) {
    auto request = impl_->make_request(http::verb::post, target);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = std::move(body);
    request.prepare_payload();
    return impl_->send(request);
}

}  // namespace lambdalab::runtime::detail
