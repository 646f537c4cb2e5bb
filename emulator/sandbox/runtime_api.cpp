#include "sandbox/runtime_api.hpp"

#include <nlohmann/json.hpp>

#include "common/base64.hpp"

namespace lambdalab::sandbox {

namespace http = net::http;
using nlohmann::json;

namespace {

constexpr std::string_view kInvocationPrefix = "/2018-06-01/runtime/invocation/";
constexpr std::string_view kInitError = "/2018-06-01/runtime/init/error";

net::Response json_reply(http::status status, const json& body) {
    return net::make_response(status, body.dump(), "application/json");
}

net::Response error_reply(http::status status, std::string_view message, std::string_view type) {
    return json_reply(status, {{"errorMessage", message}, {"errorType", type}});
}

net::Response accepted() {
    return json_reply(http::status::accepted, {{"status", "OK"}});
}

std::string header(const net::Request& request, std::string_view name) {
    const auto it = request.find(name);
    return it == request.end() ? std::string{} : std::string(it->value());
}

// An /error or /init/error body as the caller will see it, and its errorType (reference §1.3).
RuntimeOutcome error_outcome(const net::Request& request, std::string request_id) {
    RuntimeOutcome outcome;
    outcome.kind = RuntimeOutcome::Kind::error;
    outcome.request_id = std::move(request_id);
    const std::string type_header = header(request, "Lambda-Runtime-Function-Error-Type");
    std::string body = request.body();
    json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (header(request, "Content-Type") == "application/vnd.aws.lambda.error.cause+json" && parsed.is_object()) {
        parsed.erase("errorCause");
        body = parsed.dump();
    }
    if (body.empty()) {
        // "Lambda-Runtime-Function-Error-Type header value [is used] to construct an error response when
        // error payload is not provided" (Runtime API OpenAPI spec).
        const std::string type = type_header.empty() ? "Runtime.Unknown" : type_header;
        body = json{{"errorMessage", "Unknown application error occurred"}, {"errorType", type}}.dump();
        parsed = json::parse(body);
    }
    outcome.body = std::move(body);
    if (parsed.is_object() && parsed.contains("errorType") && parsed["errorType"].is_string()) {
        outcome.error_type = parsed["errorType"].get<std::string>();
    } else {
        outcome.error_type = type_header.empty() ? "Unhandled" : type_header;
    }
    return outcome;
}

std::optional<std::int64_t> init_start(const net::Request& request) {
    const std::string value = header(request, "Lambdalab-Init-Start-Ms");
    if (value.empty()) return std::nullopt;
    try {
        return std::stoll(value);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

const char* RuntimeApi::state_name(State state) {
    switch (state) {
        case State::started:
            return "RuntimeStartedState";
        case State::ready:
            return "RuntimeReadyState";
        case State::running:
            return "RuntimeRunningState";
        case State::response_sent:
            return "RuntimeResponseSentState";
        case State::init_error:
            return "RuntimeInitErrorState";
    }
    return "RuntimeState";
}

RuntimeApi::RuntimeApi(boost::asio::io_context& io, RuntimeApiListener& listener)
    : listener_(listener),
      server_(io, "127.0.0.1", 0,
              net::ServerOptions{
                  .header_limit = 64 * 1024,
                  .body_limit = [](const net::Request&) { return kMaxRuntimeResponseBytes; },
                  .on_too_large = [this](const net::Request& header,
                                         std::size_t size) { return on_too_large(header, size); },
                  .on_bad_request = {},
                  .drain_allowance = 64 * 1024 * 1024,
                  .idle_timeout = std::nullopt,
              },
              [this](net::Request&& request, net::Responder responder) {
                  handle(std::move(request), std::move(responder));
              }) {}

RuntimeApi::~RuntimeApi() {
    close();
}

void RuntimeApi::close() {
    server_.close();
    waiting_next_ = net::Responder();
}

net::Response RuntimeApi::transition_error(const char* to) const {
    return error_reply(http::status::forbidden,
                       std::string("State transition from ") + state_name(state_) + " to " + to +
                           " failed for runtime. Error: State transition is not allowed",
                       "InvalidStateTransition");
}

void RuntimeApi::handle(net::Request&& request, net::Responder responder) {
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    const auto method = request.method();

    if (path.starts_with(kInvocationPrefix)) {
        const std::string_view rest = path.substr(kInvocationPrefix.size());
        if (rest == "next") {
            if (method != http::verb::get)
                return responder(
                    error_reply(http::status::method_not_allowed, "Use GET for /next", "MethodNotAllowed"));
            return on_next(request, std::move(responder));
        }
        const auto slash = rest.find('/');
        const std::string_view id = rest.substr(0, slash);
        const std::string_view action = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
        if (action == "response" || action == "error") {
            if (method != http::verb::post)
                return responder(error_reply(http::status::method_not_allowed, "Use POST", "MethodNotAllowed"));
            return on_result(request, id, action == "error", std::move(responder));
        }
    } else if (path == kInitError) {
        if (method != http::verb::post)
            return responder(error_reply(http::status::method_not_allowed, "Use POST", "MethodNotAllowed"));
        return on_init_error(request, std::move(responder));
    } else if (path == "/2022-07-01/telemetry") {
        return responder(
            error_reply(http::status::accepted, "Telemetry API is not supported", "Telemetry.NotSupported"));
    } else if (path == "/2020-08-15/logs") {
        return responder(error_reply(http::status::accepted, "Logs API is not supported", "Logs.NotSupported"));
    } else if (path.starts_with("/2020-01-01/extension/")) {
        return responder(error_reply(http::status::forbidden, "lambdalab does not emulate the Extensions API",
                                     "Extension.RegistrationClosed"));
    }
    responder(error_reply(http::status::not_found, "Unknown Runtime API path: " + std::string(path), "NotFound"));
}

void RuntimeApi::on_next(const net::Request& request, net::Responder responder) {
    switch (state_) {
        case State::init_error:
            return responder(transition_error("Ready"));
        case State::running:
            // /next again before answering: rapid hands out the same event, same id and deadline.
            if (current_) return send_event(responder);
            break;
        case State::started:
            state_ = State::ready;
            waiting_next_ = std::move(responder);
            listener_.on_runtime_ready(init_start(request));
            break;
        case State::response_sent:
            state_ = State::ready;
            waiting_next_ = std::move(responder);
            listener_.on_runtime_idle();
            break;
        case State::ready:
            // A second /next (the runtime reconnected): the newest one waits.
            waiting_next_ = std::move(responder);
            break;
    }
    if (state_ == State::ready && current_ && !current_sent_ && waiting_next_) send_event(waiting_next_);
}

void RuntimeApi::deliver(Event event) {
    current_ = std::move(event);
    current_sent_ = false;
    if (state_ == State::ready && waiting_next_) send_event(waiting_next_);
}

void RuntimeApi::send_event(net::Responder& responder) {
    const Event& event = *current_;
    net::Response response = net::make_response(http::status::ok, event.payload, event.content_type);
    response.set("Lambda-Runtime-Aws-Request-Id", event.request_id);
    response.set("Lambda-Runtime-Deadline-Ms", std::to_string(event.deadline_ms));
    response.set("Lambda-Runtime-Invoked-Function-Arn", event.invoked_function_arn);
    if (!event.trace_id.empty()) response.set("Lambda-Runtime-Trace-Id", event.trace_id);
    if (!event.client_context.empty()) response.set("Lambda-Runtime-Client-Context", event.client_context);
    if (!event.cognito_identity.empty()) response.set("Lambda-Runtime-Cognito-Identity", event.cognito_identity);
    if (!event.tenant_id.empty()) response.set("Lambda-Runtime-Aws-Tenant-Id", event.tenant_id);
    current_sent_ = true;
    state_ = State::running;
    auto target = std::move(responder);
    target(std::move(response));
}

void RuntimeApi::on_result(const net::Request& request, std::string_view request_id, bool is_error,
                           net::Responder responder) {
    const bool is_current = state_ == State::running && current_ && current_->request_id == request_id;
    if (request_id.empty() || (!is_current && request_id != last_request_id_)) {
        return responder(error_reply(http::status::bad_request, "Invalid request ID", "InvalidRequestID"));
    }
    if (!is_current) return responder(transition_error(is_error ? "InvocationErrorResponse" : "InvocationResponse"));

    const std::string mode = header(request, "Lambda-Runtime-Function-Response-Mode");
    if (!mode.empty() && mode != "streaming") {
        return responder(
            error_reply(http::status::bad_request, "Invalid function response mode", "InvalidFunctionResponseMode"));
    }
    RuntimeOutcome outcome;
    const std::string trailer_error = header(request, "Lambda-Runtime-Function-Error-Type");
    if (is_error) {
        outcome = error_outcome(request, std::string(request_id));
    } else if (mode == "streaming" && !trailer_error.empty()) {
        // A stream that failed midway reports its error in trailers (reference §1.2).
        outcome.kind = RuntimeOutcome::Kind::error;
        outcome.request_id = std::string(request_id);
        outcome.error_type = trailer_error;
        outcome.body = base64_decode(header(request, "Lambda-Runtime-Function-Error-Body"))
                           .value_or(json{{"errorType", trailer_error}, {"errorMessage", ""}}.dump());
    } else {
        outcome.kind = RuntimeOutcome::Kind::response;
        outcome.request_id = std::string(request_id);
        outcome.body = request.body();
        const std::string type = header(request, "Content-Type");
        outcome.content_type = type.empty() ? "application/json" : type;
    }
    state_ = State::response_sent;
    last_request_id_ = std::string(request_id);
    current_.reset();
    listener_.on_outcome(std::move(outcome));
    responder(accepted());
}

void RuntimeApi::on_init_error(const net::Request& request, net::Responder responder) {
    if (state_ != State::started) return responder(transition_error("InitError"));
    state_ = State::init_error;
    listener_.on_init_error(error_outcome(request, {}));
    responder(accepted());
}

net::Response RuntimeApi::on_too_large(const net::Request& header_only, std::size_t size) {
    const std::string_view target(header_only.target().data(), header_only.target().size());
    if (target.starts_with(kInvocationPrefix) && target.ends_with("/response") && state_ == State::running &&
        current_) {
        const std::string_view id =
            target.substr(kInvocationPrefix.size(), target.size() - kInvocationPrefix.size() - 9);
        if (id == current_->request_id) {
            RuntimeOutcome outcome;
            outcome.kind = RuntimeOutcome::Kind::too_large;
            outcome.request_id = std::string(id);
            outcome.size = size;
            state_ = State::response_sent;
            last_request_id_ = outcome.request_id;
            current_.reset();
            listener_.on_outcome(std::move(outcome));
        }
    }
    return error_reply(
        http::status::payload_too_large,
        "Exceeded maximum allowed payload size (" + std::to_string(kMaxRuntimeResponseBytes) + " bytes).",
        "RequestEntityTooLarge");
}

}  // namespace lambdalab::sandbox
