#pragma once
// What the store keeps. The schema (schema.cpp, documented in docs/store.md) mirrors these records.
#include <cstdint>
#include <optional>
#include <string>

namespace lambdalab::store {

// One invocation, as the caller saw it: also throttled ones (no sandbox), so a lab can count them.
struct InvocationRecord {
    std::string request_id;
    std::string function;
    std::string version = "$LATEST";
    std::string invocation_type = "RequestResponse";  // or Event
    std::string sandbox_id;                           // empty when no sandbox ran it
    bool cold = false;
    std::string status = "success";  // success | error | timeout | throttled | rejected
    std::string error_type;          // errorType for failures, Reason for throttles
    std::int64_t start_time_ms = 0;  // epoch ms: received by the emulator
    std::int64_t end_time_ms = 0;    // epoch ms: answered
    std::optional<double> init_duration_ms;
    double duration_ms = 0;
    std::int64_t billed_duration_ms = 0;
    int memory_size_mb = 0;
    int max_memory_used_mb = 0;
    std::optional<double> boot_ms;           // simulated sandbox creation
    std::optional<double> code_download_ms;  // simulated code download
    std::optional<double> vpc_setup_ms;      // simulated network interface set-up
    std::optional<double> runtime_start_ms;  // real: process start to the runtime loading the function's code
    std::optional<double> function_init_ms;  // real: loading the function's code to its first /next
    std::string resource_control;            // cgroup-v2, cgroup-v1, fallback or none
    bool cpu_limited_by_host = false;        // the host has fewer cores than the memory size's vCPUs
    bool provisioned = false;                // ran on a provisioned-concurrency sandbox
    std::string run_id;                      // the benchmark run that sent it, if any
    std::string variant;                     // and the variant of that run
    double cost_usd = 0;
    std::string profile;
    std::string architecture = "x86_64";
};

struct SandboxRecord {
    std::string id;  // 32 hex digits, as in the log stream name
    std::string function;
    std::string version;
    std::string log_stream;
    int memory_size_mb = 0;
    std::int64_t pid = 0;
    std::int64_t created_at_ms = 0;
};

// A block of log text from one sandbox: an invocation's START..REPORT, or output outside one.
struct LogRecord {
    std::string function;
    std::string sandbox_id;
    std::string request_id;  // empty outside an invocation
    std::int64_t timestamp_ms = 0;
    std::string message;
};

// An accepted asynchronous event, until it succeeds or fails for good.
struct AsyncEventRow {
    std::string request_id;
    std::string function;
    std::string qualifier;
    std::string payload;
    std::string trace_id;
    std::int64_t accepted_at_ms = 0;
    int attempts = 0;
    int function_errors = 0;
    std::int64_t next_attempt_at_ms = 0;
};

// An event that failed for good and had no Lambda function to go to.
struct DeadLetterRow {
    std::string request_id;
    std::string function;
    std::string condition;
    std::string destination;  // empty: none configured
    std::string record;       // the invocation record, JSON
    std::int64_t created_at_ms = 0;
};

struct FunctionRow {
    std::string name;
    std::string version;
    std::string config_json;
};

}  // namespace lambdalab::store
