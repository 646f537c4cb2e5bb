#pragma once
// Asynchronous (Event) invocations, as Lambda handles them (reference/perf-model.md §4.5):
// - accepted at once (202) and kept in the store, so a restart of the emulator loses no event;
// - run later through the scheduler like any other invocation;
// - function errors and timeouts retried MaximumRetryAttempts times (default 2), after 1 and then
//   2 minutes; throttles and service errors retried with a backoff from 1 s doubling to 5 min;
// - dropped after MaximumEventAgeInSeconds (default 6 h), or at once with reserved concurrency 0;
// - a failed event goes to its on-failure destination when that is a Lambda function, else to the
//   store's dead-letter table; a successful one to its on-success Lambda destination.
// Delays follow the profile's time scale.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "control/function_registry.hpp"
#include "model/profile.hpp"
#include "scheduler/invocation.hpp"

namespace lambdalab::store {
class Store;
}

namespace lambdalab::scheduler {

class Scheduler;

class AsyncQueue {
  public:
    AsyncQueue(boost::asio::io_context& io, Scheduler& scheduler, control::FunctionRegistry& registry,
               store::Store& store, const model::Profile& profile);
    ~AsyncQueue();

    // Picks up the events an earlier run accepted but did not finish.
    void restore();
    // Takes the event (durably) and returns its request id for the caller's x-amzn-RequestId.
    // `qualifier` is what the caller named ("" for none).
    std::string enqueue(InvokeRequest request, const std::string& qualifier);
    std::size_t pending() const { return events_.size(); }

  private:
    struct Event;
    void schedule(std::uint64_t key, std::int64_t at_ms);
    void attempt(std::uint64_t key);
    void on_result(std::uint64_t key, InvokeResult result);
    void succeed(Event& event, const InvokeResult& result);
    void fail(Event& event, const std::string& condition, const InvokeResult& result);
    // Sends a record to a Lambda destination, or keeps a failure's record in the dead-letter table.
    void forward(const Event& event, const std::string& destination, const std::string& record,
                 const std::string& condition);
    std::string record_json(const Event& event, const std::string& condition, const InvokeResult& result) const;

    boost::asio::io_context& io_;
    Scheduler& scheduler_;
    control::FunctionRegistry& registry_;
    store::Store& store_;
    const model::Profile& profile_;
    std::map<std::uint64_t, std::unique_ptr<Event>> events_;
    std::uint64_t next_key_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambdalab::scheduler
