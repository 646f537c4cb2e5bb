#include "api/invoke_handler.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "api/aws_reply.hpp"
#include "api/function_lookup.hpp"
#include "common/base64.hpp"
#include "common/ids.hpp"
#include "scheduler/async_queue.hpp"
#include "scheduler/scheduler.hpp"

namespace lambdalab::api {

namespace http = net::http;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxClientContext = 3583;

std::string header(const net::Request& request, std::string_view name) {
    const auto it = request.find(name);
    return it == request.end() ? std::string{} : std::string(it->value());
}

[[noreturn]] void validation_error(const std::string& value, const std::string& field, const std::string& allowed) {
    throw AwsException({400,
                        "ValidationException",
                        "1 validation error detected: Value '" + value + "' at '" + field +
                            "' failed to satisfy constraint: Member must satisfy enum value set: [" + allowed + "]",
                        {}});
}

// The payload must be JSON; an empty one is allowed and reaches the function as {}.
std::string checked_payload(std::string body) {
    if (body.empty()) return "{}";
    // accept() validates without building a document; only a failure is parsed again for its message.
    if (!json::accept(body)) {
        std::string message = "Could not parse request body into json: Could not parse payload into json: ";
        try {
            [[maybe_unused]] const json parsed = json::parse(body);
        } catch (const json::parse_error& e) {
            message += e.what();
        }
        throw AwsException({400, "InvalidRequestContentException", message, {}});
    }
    return body;
}

std::string decoded_client_context(const std::string& encoded) {
    if (encoded.empty()) return {};
    if (encoded.size() > kMaxClientContext) {
        throw_invalid_parameter("Client context must be smaller than " + std::to_string(kMaxClientContext) + " bytes.");
    }
    auto decoded = base64_decode(encoded);
    if (!decoded || !json::accept(*decoded))
        throw_invalid_parameter("Client context must be a valid Base64-encoded JSON object.");
    return *decoded;
}

// Lambda always hands the runtime a trace header; an incoming X-Amzn-Trace-Id is kept.
std::string trace_header(const net::Request& request) {
    std::string incoming = header(request, "X-Amzn-Trace-Id");
    if (!incoming.empty()) return incoming;
    char epoch[16];
    std::snprintf(epoch, sizeof epoch, "%08lx", static_cast<unsigned long>(std::time(nullptr)));
    return "Root=1-" + std::string(epoch) + "-" + random_hex(24) + ";Parent=" + random_hex(16) + ";Sampled=0";
}

}  // namespace

InvokeHandler::InvokeHandler(control::FunctionRegistry& registry, scheduler::Scheduler& scheduler,
                             scheduler::AsyncQueue& queue)
    : registry_(registry), scheduler_(scheduler), queue_(queue) {}

void InvokeHandler::invoke(const RequestTarget& target, net::Request&& request, net::Responder& responder) {
    const auto qualifier =
        target.query.contains("Qualifier") ? std::optional(target.query.at("Qualifier")) : std::nullopt;
    ResolvedFunction resolved = resolve_function(registry_, target.segments.at(2), qualifier);

    std::string type = header(request, "X-Amz-Invocation-Type");
    if (type.empty()) type = "RequestResponse";
    if (type != "RequestResponse" && type != "Event" && type != "DryRun") {
        validation_error(type, "invocationType", "RequestResponse, Event, DryRun");
    }
    const std::string log_type = header(request, "X-Amz-Log-Type");
    if (!log_type.empty() && log_type != "None" && log_type != "Tail")
        validation_error(log_type, "logType", "None, Tail");

    if (type == "Event" && request.body().size() > kMaxAsyncPayload) {
        throw AwsException({413,
                            "RequestEntityTooLargeException",
                            std::to_string(request.body().size()) +
                                " byte payload is too large for the Event invocation type (limit " +
                                std::to_string(kMaxAsyncPayload) + " bytes)",
                            {}});
    }
    scheduler::InvokeRequest invoke;
    invoke.function = std::move(resolved.function);
    invoke.version = resolved.version;
    invoke.invoked_arn = std::move(resolved.invoked_arn);
    invoke.payload = checked_payload(std::move(request.body()));
    const std::string invoked_qualifier = resolved.qualifier;
    invoke.client_context = decoded_client_context(header(request, "X-Amz-Client-Context"));
    invoke.tenant_id = header(request, "X-Amz-Tenant-Id");
    invoke.trace_id = trace_header(request);
    invoke.tail_log = log_type == "Tail";
    invoke.run_id = header(request, "X-Lambdalab-Run-Id");
    invoke.variant = header(request, "X-Lambdalab-Variant");
    invoke.request_id = new_uuid();
    const std::string content_type = header(request, "Content-Type");
    if (!content_type.empty()) invoke.content_type = content_type;

    if (type == "DryRun") return responder(empty_reply(http::status::no_content, invoke.request_id));
    if (type == "Event") {
        // The client context reaches synchronous invocations only.
        const std::string id = queue_.enqueue(std::move(invoke), invoked_qualifier);
        return responder(empty_reply(http::status::accepted, id));
    }
    // InvokeCallback is a std::function, which must be copyable: share the one-shot responder.
    auto reply = std::make_shared<net::Responder>(std::move(responder));
    scheduler_.invoke(std::move(invoke), [reply](scheduler::InvokeResult result) {
        if (result.error) return (*reply)(aws_error_reply(*result.error, result.request_id));
        net::Response response = net::make_response(http::status::ok, std::move(result.payload), result.content_type);
        response.set("x-amzn-RequestId", result.request_id);
        response.set("X-Amz-Executed-Version", result.executed_version);
        if (result.function_error) response.set("X-Amz-Function-Error", "Unhandled");
        if (!result.log_result.empty()) response.set("X-Amz-Log-Result", result.log_result);
        (*reply)(std::move(response));
    });
}

void InvokeHandler::invoke_async_legacy(const RequestTarget& target, net::Request&& request,
                                        net::Responder& responder) {
    ResolvedFunction resolved = resolve_function(registry_, target.segments.at(2), std::nullopt);
    if (request.body().size() > kMaxAsyncPayload) {
        throw AwsException({413,
                            "RequestEntityTooLargeException",
                            std::to_string(request.body().size()) +
                                " byte payload is too large for the Event invocation type (limit " +
                                std::to_string(kMaxAsyncPayload) + " bytes)",
                            {}});
    }
    scheduler::InvokeRequest invoke;
    invoke.function = std::move(resolved.function);
    invoke.invoked_arn = std::move(resolved.invoked_arn);
    invoke.payload = checked_payload(std::move(request.body()));
    invoke.trace_id = trace_header(request);
    const std::string id = queue_.enqueue(std::move(invoke), resolved.qualifier);
    responder(json_reply(http::status::accepted, {{"Status", 202}}, id));
}

}  // namespace lambdalab::api
