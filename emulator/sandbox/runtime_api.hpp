#pragma once
// The Runtime API one sandbox's runtime polls (reference/runtime-api.md §1): /next blocks until an
// event arrives, /response and /error end the invocation, /init/error ends the sandbox. Each sandbox
// has its own endpoint on 127.0.0.1, so every request is known to come from its runtime.
// States follow rapid's: Started -> Ready (/next waiting) -> Running (event out) -> ResponseSent.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "net/http_server.hpp"

namespace lambdalab::sandbox {

// Largest /response or /error body: 6 MiB + 100 bytes (rapid's interop.MaxPayloadSize).
inline constexpr std::size_t kMaxRuntimeResponseBytes = 6291556;

// One invocation as the runtime receives it from /next.
struct Event {
    std::string request_id;
    std::string payload;
    std::string content_type = "application/json";
    std::int64_t deadline_ms = 0;  // epoch ms, fixed at dispatch
    std::string invoked_function_arn;
    std::string trace_id;
    std::string client_context;  // JSON (decoded from the invoke's base64)
    std::string cognito_identity;
    std::string tenant_id;
};

// What the runtime reported for an invocation or for its init.
struct RuntimeOutcome {
    enum class Kind { response, error, too_large };
    Kind kind = Kind::response;
    std::string request_id;
    std::string body;  // the payload, or the error body as the caller will see it
    std::string content_type = "application/json";
    std::string error_type;  // errorType of an error body, else the Lambda-Runtime-Function-Error-Type header
    std::size_t size = 0;    // for too_large: the size the runtime tried to send
};

class RuntimeApiListener {
  public:
    virtual ~RuntimeApiListener() = default;
    // First /next: INIT is over. Runtimes that say when they began loading the function's code (the
    // bundled ones send Lambdalab-Init-Start-Ms) let the emulator split INIT into runtime start and
    // function init.
    virtual void on_runtime_ready(std::optional<std::int64_t> init_start_epoch_ms) = 0;
    virtual void on_init_error(RuntimeOutcome outcome) = 0;  // /init/error
    virtual void on_outcome(RuntimeOutcome outcome) = 0;     // /response, /error or an oversized response
    virtual void on_runtime_idle() = 0;                      // /next after an outcome: the invoke phase is over
};

class RuntimeApi {
  public:
    // Listens on 127.0.0.1 at a free port. Throws if it cannot bind.
    RuntimeApi(boost::asio::io_context& io, RuntimeApiListener& listener);
    ~RuntimeApi();

    std::uint16_t port() const { return server_.port(); }
    // Hands an event to the runtime now if its /next is waiting, else on its next /next.
    void deliver(Event event);
    // Stops serving; a waiting /next is dropped.
    void close();

  private:
    enum class State { started, ready, running, response_sent, init_error };
    static const char* state_name(State state);

    void handle(net::Request&& request, net::Responder responder);
    void on_next(const net::Request& request, net::Responder responder);
    void on_result(const net::Request& request, std::string_view request_id, bool is_error, net::Responder responder);
    void on_init_error(const net::Request& request, net::Responder responder);
    net::Response on_too_large(const net::Request& header, std::size_t size);
    void send_event(net::Responder& responder);
    net::Response transition_error(const char* to) const;

    RuntimeApiListener& listener_;
    State state_ = State::started;
    std::optional<Event> current_;  // delivered, or waiting for /next
    bool current_sent_ = false;     // current_ has gone out on a /next
    std::string last_request_id_;   // the id a late /response or /error may still name (403, not 400)
    net::Responder waiting_next_;
    net::HttpServer server_;
};

}  // namespace lambdalab::sandbox
