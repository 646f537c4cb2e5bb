#include "scheduler/async_queue.hpp"

#include <cstdio>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/ids.hpp"
#include "scheduler/scheduler.hpp"

namespace lambdalab::scheduler {

struct AsyncQueue::Event {
    Event(boost::asio::io_context& io, InvokeRequest r, model::Time accepted)
        : request(std::move(r)), accepted_at(accepted), timer(io) {}
    InvokeRequest request;
    model::Time accepted_at;
    int function_errors = 0;
    model::Duration throttle_backoff{};
    boost::asio::steady_timer timer;
};

AsyncQueue::AsyncQueue(boost::asio::io_context& io, Scheduler& scheduler, const model::Profile& profile,
                       const model::Clock& clock)
    : io_(io), scheduler_(scheduler), profile_(profile), clock_(clock) {}

AsyncQueue::~AsyncQueue() { *alive_ = false; }

std::string AsyncQueue::enqueue(InvokeRequest request) {
    if (request.request_id.empty()) request.request_id = new_uuid();
    request.invocation_type = "Event";
    request.tail_log = false;
    request.client_context.clear();  // the client context reaches synchronous invocations only
    const std::string id = request.request_id;
    const std::uint64_t key = next_key_++;
    events_.emplace(key, std::make_unique<Event>(io_, std::move(request), clock_.now()));
    boost::asio::post(io_, [this, key, alive = alive_] {
        if (*alive) attempt(key);
    });
    return id;
}

void AsyncQueue::attempt(std::uint64_t key) {
    auto it = events_.find(key);
    if (it == events_.end()) return;
    // Every attempt carries the event's request id, as Lambda's retries do.
    scheduler_.invoke(it->second->request, [this, key, alive = alive_](InvokeResult result) {
        if (*alive) on_result(key, std::move(result));
    });
}

void AsyncQueue::on_result(std::uint64_t key, InvokeResult result) {
    auto it = events_.find(key);
    if (it == events_.end()) return;
    Event& event = *it->second;
    const model::Duration age = clock_.now() - event.accepted_at;
    const model::Duration max_age = profile_.scaled(profile_.async.max_event_age);

    if (result.error && (result.error->status == 429 || result.error->status >= 500)) {
        // Throttled or a service error: back to the queue, 1 s doubling to 5 min, until the maximum age.
        event.throttle_backoff = event.throttle_backoff == model::Duration::zero()
                                     ? profile_.async.throttle_backoff_initial
                                     : std::min(event.throttle_backoff * 2, profile_.async.throttle_backoff_max);
        const model::Duration delay = profile_.scaled(event.throttle_backoff);
        if (age + delay < max_age) return retry_later(key, delay);
    } else if (result.function_error || result.error) {
        if (event.function_errors < profile_.async.max_retries) {
            const auto& delays = profile_.async.retry_delays;
            const model::Duration delay = profile_.scaled(
                delays.empty() ? model::Duration::zero()
                               : delays[std::min<std::size_t>(static_cast<std::size_t>(event.function_errors), delays.size() - 1)]);
            ++event.function_errors;
            if (age + delay < max_age) return retry_later(key, delay);
        }
    }
    events_.erase(it);
}

void AsyncQueue::retry_later(std::uint64_t key, model::Duration delay) {
    Event& event = *events_.at(key);
    event.timer.expires_after(delay);
    event.timer.async_wait([this, key, alive = alive_](boost::system::error_code ec) {
        if (!ec && *alive) attempt(key);
    });
}

}  // namespace lambdalab::scheduler
