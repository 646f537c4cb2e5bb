#pragma once
// Sends invocations through the Invoke API at the pace a load asks for, on one thread with
// asynchronous keep-alive connections (Beast), so the runner is never the bottleneck: a closed loop
// keeps `concurrency` invocations in flight; an open loop sends each at its scheduled time whatever
// the answers (up to a cap on outstanding ones; later ones wait and count as late). Throttled
// invocations can be retried with capped exponential backoff and jitter, as the AWS SDK does.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdalab::lab {

struct InvocationSpec {
    std::string function;
    std::string qualifier;  // empty: $LATEST
    std::string body;
    std::string run_id;   // X-Lambdalab-Run-Id
    std::string variant;  // X-Lambdalab-Variant
    bool tail = false;    // X-Amz-Log-Type: Tail
};

struct InvocationResult {
    int http_status = 0;         // 0: no answer (network failure)
    std::string request_id;      // x-amzn-RequestId
    std::string function_error;  // X-Amz-Function-Error (Handled/Unhandled)
    std::string error_type;      // x-amzn-ErrorType of a service error (e.g. TooManyRequestsException)
    std::string log_result;      // X-Amz-Log-Result (base64)
    std::string body;            // kept when asked, and for errors
    std::string network_error;
    double sent_at_ms = 0;  // epoch ms of the (last) send
    double client_ms = 0;   // send to complete answer, of the last attempt
    int attempts = 1;

    bool throttled() const { return http_status == 429; }
    // success | error | throttled | rejected | network
    std::string outcome() const;
};

struct Job {
    // Closed loop: `num` invocations, `concurrency` at a time.
    long num = 0;
    int concurrency = 1;
    // Open loop (when schedule_ms is not empty): send invocation i at schedule_ms[i] after the start.
    std::vector<double> schedule_ms;
    int max_in_flight = 256;

    std::function<InvocationSpec(long index)> make;  // the request of invocation `index`
    int retries = 0;                                 // resends of a throttled invocation
    double timeout_s = 960;
    bool keep_body = false;

    // Called on the engine's thread as each invocation completes (after its retries).
    // scheduled_ms and late_ms are set for open loops.
    std::function<void(long index, const InvocationResult&, std::optional<double> scheduled_ms,
                       std::optional<double> late_ms)>
        on_result;

    // Something sent every `interval_s` while the job runs (a warmer), starting at once; not counted.
    std::optional<InvocationSpec> periodic;
    double periodic_interval_s = 0;
    std::function<void(const InvocationResult&)> on_periodic;
};

struct JobCounters {
    long launched = 0;
    long completed = 0;
    long in_flight = 0;
    bool stopped = false;  // ended by the stop flag before everything was sent
};

class LoadEngine {
  public:
    // host:port of the emulator's Invoke API (path prefix before /2015-03-31, if any).
    LoadEngine(const std::string& host, const std::string& port, std::string path_prefix = "");
    ~LoadEngine();
    LoadEngine(const LoadEngine&) = delete;
    LoadEngine& operator=(const LoadEngine&) = delete;

    // Runs the job on the calling thread until every invocation completed, or `stop` became true
    // (outstanding ones are then abandoned: no result). `tick` runs about every 200 ms.
    JobCounters run(const Job& job, const std::atomic<bool>& stop, const std::function<void(const JobCounters&)>& tick);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lambdalab::lab
