#pragma once
// The Invoke API: POST /2015-03-31/functions/{FunctionName}/invocations (RequestResponse, Event,
// DryRun; X-Amz-Log-Type: Tail; X-Amz-Client-Context) and the legacy InvokeAsync.
#include "api/request_target.hpp"
#include "net/http_server.hpp"

namespace lambdalab::control {
class FunctionRegistry;
}
namespace lambdalab::scheduler {
class Scheduler;
class AsyncQueue;
}  // namespace lambdalab::scheduler

namespace lambdalab::api {

inline constexpr std::size_t kMaxSyncPayload = 6291456;   // 6 MB
inline constexpr std::size_t kMaxAsyncPayload = 1048576;  // 1 MB since Oct 2025

class InvokeHandler {
  public:
    InvokeHandler(control::FunctionRegistry& registry, scheduler::Scheduler& scheduler, scheduler::AsyncQueue& queue);

    void invoke(const RequestTarget& target, net::Request&& request, net::Responder& responder);
    void invoke_async_legacy(const RequestTarget& target, net::Request&& request, net::Responder& responder);

  private:
    control::FunctionRegistry& registry_;
    scheduler::Scheduler& scheduler_;
    scheduler::AsyncQueue& queue_;
};

}  // namespace lambdalab::api
