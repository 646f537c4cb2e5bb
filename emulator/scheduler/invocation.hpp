#pragma once
// An invocation as the API layer hands it to the scheduler, and the answer it gets back.
#include <functional>
#include <optional>
#include <string>

#include "common/aws_error.hpp"
#include "control/function_registry.hpp"

namespace lambdalab::scheduler {

struct InvokeRequest {
    control::FunctionPtr function;
    std::string version = "$LATEST";
    std::string invoked_arn;  // as the caller named it, qualifier included
    std::string payload;
    std::string content_type = "application/json";
    std::string invocation_type = "RequestResponse";  // recorded; Event comes from the async queue
    bool tail_log = false;
    std::string client_context;  // decoded JSON
    std::string trace_id;
    std::string tenant_id;
    std::string request_id;  // assigned by the scheduler when empty
    // The benchmark lab tags its invocations (X-Lambdalab-Run-Id, X-Lambdalab-Variant headers).
    std::string run_id;
    std::string variant;
};

struct InvokeResult {
    std::string request_id;
    // A service error (429 throttle, 409 Pending ...) instead of a function result.
    std::optional<AwsError> error;
    std::string payload;
    std::string content_type = "application/json";
    bool function_error = false;  // X-Amz-Function-Error: Unhandled
    std::string error_type;       // errorType of a function error
    std::string log_result;       // base64 tail of the log, when asked for
    std::string executed_version = "$LATEST";
};

using InvokeCallback = std::function<void(InvokeResult)>;

}  // namespace lambdalab::scheduler
