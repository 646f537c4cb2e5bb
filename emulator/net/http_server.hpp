#pragma once
// An asynchronous HTTP/1.1 server on Beast, in the style of Beast's advanced server example:
// keep-alive, Expect: 100-continue, size limits with early answers, and *deferred* responses:
// a handler may answer later (a Runtime API /next that blocks until an event arrives, an Invoke
// that waits for its function). Everything runs on the io_context's thread.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/http_types.hpp"

namespace lambdalab::net {

namespace detail {
class Session;
}

// Completes exactly one request. Move-only; if it is dropped unanswered, the client gets a 500
// rather than a hung connection.
class Responder {
  public:
    Responder() = default;
    explicit Responder(std::shared_ptr<detail::Session> session);
    Responder(Responder&&) noexcept = default;
    Responder& operator=(Responder&& other) noexcept;
    Responder(const Responder&) = delete;
    Responder& operator=(const Responder&) = delete;
    ~Responder();

    void operator()(Response&& response);
    explicit operator bool() const { return session_ != nullptr; }

  private:
    std::shared_ptr<detail::Session> session_;
};

using Handler = std::function<void(Request&&, Responder)>;

struct ServerOptions {
    std::size_t header_limit = 16 * 1024;
    // The largest body accepted for a request, decided from its header (method and path).
    std::function<std::size_t(const Request& header)> body_limit = [](const Request&) {
        return std::size_t{6 * 1024 * 1024};
    };
    // The answer to a body over its limit. `size` is the declared or received size.
    std::function<Response(const Request& header, std::size_t size)> on_too_large;
    // The answer to a request that cannot be parsed (status is 400 or 431).
    std::function<Response(http::status status, std::string_view reason)> on_bad_request;
    // Bodies this much over the limit are still read (so the client can read the answer on a
    // connection that stays usable); beyond it the connection is closed after the answer.
    std::size_t drain_allowance = 64 * 1024 * 1024;
    // Close connections idle (or stalled mid-request) this long; none for the Runtime API,
    // whose runtimes keep a connection across a frozen period.
    std::optional<std::chrono::seconds> idle_timeout;
};

class HttpServer {
  public:
    // Binds and starts accepting. Port 0 picks a free port (see port()). Throws on bind failure.
    HttpServer(boost::asio::io_context& io, const std::string& host, std::uint16_t port, ServerOptions options,
               Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;
    // Stops accepting new connections; open ones go on (answers in flight can still be written).
    void stop_accepting();
    // Stops accepting and closes every open connection; pending responders become no-ops.
    void close();

    struct Impl;

  private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace lambdalab::net
