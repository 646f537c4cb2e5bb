#pragma once
// Asynchronous (Event) invocations: accepted at once (202), run later through the scheduler like
// any other invocation, retried as Lambda does (reference/perf-model.md §4.5): function errors and
// timeouts twice more, after 1 and then 2 minutes; throttles with a backoff from 1 s doubling to
// 5 min, until the maximum event age. Delays follow the profile's time scale.
#include <cstdint>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "model/clock.hpp"
#include "model/profile.hpp"
#include "scheduler/invocation.hpp"

namespace lambdalab::scheduler {

class Scheduler;

class AsyncQueue {
public:
    AsyncQueue(boost::asio::io_context& io, Scheduler& scheduler, const model::Profile& profile, const model::Clock& clock);
    ~AsyncQueue();

    // Takes the event; its request id is assigned here and returned for the caller's x-amzn-RequestId.
    std::string enqueue(InvokeRequest request);
    std::size_t pending() const { return events_.size(); }

private:
    struct Event;
    void attempt(std::uint64_t key);
    void on_result(std::uint64_t key, InvokeResult result);
    void retry_later(std::uint64_t key, model::Duration delay);

    boost::asio::io_context& io_;
    Scheduler& scheduler_;
    const model::Profile& profile_;
    const model::Clock& clock_;
    std::map<std::uint64_t, std::unique_ptr<Event>> events_;
    std::uint64_t next_key_ = 1;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lambdalab::scheduler
