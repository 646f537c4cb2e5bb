// lambdalab C++ runtime client: implements the Lambda Runtime API loop for provided.* functions.
//
//   int main() {
//       return lambdalab::runtime::run([](const std::string& event, const lambdalab::runtime::Context&) {
//           return lambdalab::runtime::Result::success(event);
//       });
//   }
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace lambdalab::runtime {

// One invocation, as described by the /next response headers and the function's environment.
struct Context {
    std::string request_id;
    std::string invoked_function_arn;
    std::string function_name;
    std::string function_version;
    std::string log_group_name;
    std::string log_stream_name;
    std::string trace_id;          // X-Ray header; also exported as _X_AMZN_TRACE_ID
    std::string client_context;    // JSON, empty unless the caller sent one
    std::string cognito_identity;  // JSON, empty unless present
    std::string tenant_id;         // empty unless present
    int memory_limit_mb = 0;
    std::chrono::system_clock::time_point deadline;

    // Time left before the invocation times out; negative once past the deadline.
    std::chrono::milliseconds remaining_time() const;
};

// What a handler returns: a payload for /response, or an error for /error.
class Result {
  public:
    // An empty content_type sends no Content-Type header.
    static Result success(std::string payload, std::string content_type = "application/json");
    // Becomes {"errorMessage":...,"errorType":...,"stackTrace":[]}.
    static Result failure(std::string_view error_message, std::string_view error_type);

    bool is_success() const { return success_; }
    const std::string& content_type() const { return content_type_; }
    const std::string& error_type() const { return error_type_; }  // empty on success
    const std::string& payload() const& { return payload_; }
    std::string payload() && { return std::move(payload_); }

  private:
    Result(bool success, std::string payload, std::string content_type, std::string error_type);

    bool success_;
    std::string payload_;
    std::string content_type_;
    std::string error_type_;
};

// A std::exception escaping the handler becomes Result::failure(what(), demangled type name).
using Handler = std::function<Result(const std::string& event, const Context& context)>;

// Serves invocations until /next fails 3 times in a row (the Runtime API went away).
// Returns the process exit code (non-zero), for `return run(handler);` in main.
int run(const Handler& handler);

// Posts /init/error for a failure before run(). The process should then exit non-zero.
void report_init_error(std::string_view error_message, std::string_view error_type);

}  // namespace lambdalab::runtime
