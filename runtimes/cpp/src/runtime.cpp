#include "lambdalab/runtime.hpp"

#include <cxxabi.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <typeinfo>

#include "http_connection.hpp"

namespace lambdalab::runtime {
namespace {

using detail::HttpConnection;
using detail::HttpResponse;

constexpr std::string_view kNextPath = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view kInvocationPath = "/2018-06-01/runtime/invocation/";
constexpr std::string_view kInitErrorPath = "/2018-06-01/runtime/init/error";
constexpr int kMaxNextAttempts = 3;  // as aws-lambda-cpp: then the Runtime API is considered gone

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

template <class Int>
Int parse_int(std::string_view text, Int fallback) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc{} && end == text.data() + text.size() ? value : fallback;
}

std::string demangle(const char* mangled) {
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> name(abi::__cxa_demangle(mangled, nullptr, nullptr, &status),
                                                           &std::free);
    return status == 0 && name ? name.get() : mangled;
}

std::string error_body(std::string_view message, std::string_view type) {
    const nlohmann::json body{{"errorMessage", message}, {"errorType", type}, {"stackTrace", nlohmann::json::array()}};
    // what() strings are not guaranteed UTF-8; replace bad bytes rather than throw.
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The error type also goes in a header, so keep it to printable ASCII (no CR/LF header injection).
std::string header_value(std::string_view text) {
    std::string out;
    for (const char c : text) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

detail::Headers error_headers(std::string_view type) {
    return {{"Content-Type", "application/json"}, {"Lambda-Runtime-Function-Error-Type", header_value(type)}};
}

// Handler output must reach the emulator's log capture before the response that ends the invocation.
void flush_output() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
}

bool is_2xx(const HttpResponse& response) {
    return response.status / 100 == 2;
}

// The parts of the context that come from the environment and never change.
Context function_context() {
    Context context;
    context.function_name = env("AWS_LAMBDA_FUNCTION_NAME");
    context.function_version = env("AWS_LAMBDA_FUNCTION_VERSION");
    context.log_group_name = env("AWS_LAMBDA_LOG_GROUP_NAME");
    context.log_stream_name = env("AWS_LAMBDA_LOG_STREAM_NAME");
    context.memory_limit_mb = parse_int(env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 0);
    return context;
}

Context invocation_context(const HttpResponse& next, Context context) {
    context.request_id = next.header("Lambda-Runtime-Aws-Request-Id");
    context.invoked_function_arn = next.header("Lambda-Runtime-Invoked-Function-Arn");
    context.trace_id = next.header("Lambda-Runtime-Trace-Id");
    context.client_context = next.header("Lambda-Runtime-Client-Context");
    context.cognito_identity = next.header("Lambda-Runtime-Cognito-Identity");
    context.tenant_id = next.header("Lambda-Runtime-Aws-Tenant-Id");
    const auto deadline_ms = parse_int<long long>(next.header("Lambda-Runtime-Deadline-Ms"), 0);
    context.deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(deadline_ms));
    return context;
}

// X-Ray SDKs read the trace id from the environment; clear it so one invocation's id never leaks into
// the next.
void export_trace_id(const std::string& trace_id) {
    if (trace_id.empty()) {
        unsetenv("_X_AMZN_TRACE_ID");
    } else {
        setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), 1);
    }
}

std::optional<HttpResponse> next_invocation(HttpConnection& api) {
    try {
        auto response = api.get(kNextPath);
        if (response.status == 200 && !response.header("Lambda-Runtime-Aws-Request-Id").empty()) return response;
        std::cerr << "lambdalab-runtime: /next returned HTTP " << response.status << ": " << response.body << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lambdalab-runtime: /next failed: " << e.what() << '\n';
    }
    return std::nullopt;
}

Result invoke(const Handler& handler, const std::string& event, const Context& context) {
    try {
        return handler(event, context);
    } catch (const std::exception& e) {
        auto type = demangle(typeid(e).name());
        std::cerr << "lambdalab-runtime: handler threw " << type << ": " << e.what() << '\n';
        return Result::failure(e.what(), type);
    } catch (...) {
        std::cerr << "lambdalab-runtime: handler threw a non-std::exception\n";
        return Result::failure("Handler threw an exception not derived from std::exception", "UnknownException");
    }
}

// A rejected or failed post is logged, and the loop goes on: the invocation is over either way, and if
// the Runtime API is gone the next /next notices.
void post_result(HttpConnection& api, const std::string& request_id, Result result) {
    const bool success = result.is_success();
    const auto target = std::string(kInvocationPath) + request_id + (success ? "/response" : "/error");
    detail::Headers headers;
    if (!success) {
        headers = error_headers(result.error_type());
    } else if (!result.content_type().empty()) {
        headers = {{"Content-Type", result.content_type()}};
    }
    flush_output();
    try {
        const auto response = api.post(target, std::move(result).payload(), headers);
        if (is_2xx(response)) return;
        std::cerr << "lambdalab-runtime: POST " << target << " returned HTTP " << response.status << ": "
                  << response.body << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lambdalab-runtime: POST " << target << " failed: " << e.what() << '\n';
    }
}

}  // namespace

std::chrono::milliseconds Context::remaining_time() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now());
}

Result::Result(bool success, std::string payload, std::string content_type, std::string error_type)
    : success_(success),
      payload_(std::move(payload)),
      content_type_(std::move(content_type)),
      error_type_(std::move(error_type)) {}

Result Result::success(std::string payload, std::string content_type) {
    return Result(true, std::move(payload), std::move(content_type), "");
}

Result Result::failure(std::string_view error_message, std::string_view error_type) {
    return Result(false, error_body(error_message, error_type), "application/json", std::string(error_type));
}

int run(const Handler& handler) {
    std::optional<HttpConnection> api;
    try {
        api.emplace(env("AWS_LAMBDA_RUNTIME_API"));
    } catch (const std::exception& e) {
        std::cerr << "lambdalab-runtime: AWS_LAMBDA_RUNTIME_API: " << e.what() << '\n';
        return 1;
    }
    const Context function = function_context();
    for (int failures = 0; failures < kMaxNextAttempts;) {
        const auto next = next_invocation(*api);
        if (!next) {
            ++failures;
            continue;
        }
        failures = 0;
        const Context context = invocation_context(*next, function);
        export_trace_id(context.trace_id);
        post_result(*api, context.request_id, invoke(handler, next->body, context));
    }
    std::cerr << "lambdalab-runtime: /next failed " << kMaxNextAttempts << " times in a row, exiting\n";
    return 1;
}

void report_init_error(std::string_view error_message, std::string_view error_type) {
    flush_output();
    try {
        HttpConnection api(env("AWS_LAMBDA_RUNTIME_API"));
        const auto response =
            api.post(kInitErrorPath, error_body(error_message, error_type), error_headers(error_type));
        if (is_2xx(response)) return;
        std::cerr << "lambdalab-runtime: /init/error returned HTTP " << response.status << ": " << response.body
                  << '\n';
    } catch (const std::exception& e) {
        std::cerr << "lambdalab-runtime: /init/error failed: " << e.what() << '\n';
    }
}

}  // namespace lambdalab::runtime
