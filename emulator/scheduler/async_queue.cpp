#include "scheduler/async_queue.hpp"

#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/ids.hpp"
#include "common/time_format.hpp"
#include "control/function_name.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store.hpp"

namespace lambdalab::scheduler {

using nlohmann::json;

struct AsyncQueue::Event {
    Event(boost::asio::io_context& io, store::AsyncEventRow r) : row(std::move(r)), timer(io) {}
    store::AsyncEventRow row;
    model::Duration throttle_backoff{};
    boost::asio::steady_timer timer;
};

namespace {

// A payload or response as JSON in an invocation record, or as a string when it is not JSON.
json embedded(const std::string& text) {
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? json(text) : parsed;
}

std::int64_t ms_from_now(model::Duration d) {
    return epoch_ms_now() + std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

AsyncQueue::AsyncQueue(boost::asio::io_context& io, Scheduler& scheduler, control::FunctionRegistry& registry,
                       store::Store& store, const model::Profile& profile)
    : io_(io), scheduler_(scheduler), registry_(registry), store_(store), profile_(profile) {}

AsyncQueue::~AsyncQueue() {
    *alive_ = false;
}

void AsyncQueue::restore() {
    for (auto& row : store_.reader().async_events()) {
        const std::uint64_t key = next_key_++;
        const std::int64_t at = row.next_attempt_at_ms;
        events_.emplace(key, std::make_unique<Event>(io_, std::move(row)));
        schedule(key, at);
    }
}

std::string AsyncQueue::enqueue(InvokeRequest request, const std::string& qualifier) {
    store::AsyncEventRow row;
    row.request_id = request.request_id.empty() ? new_uuid() : request.request_id;
    row.function = request.function->name;
    row.qualifier = qualifier;
    row.payload = std::move(request.payload);
    row.trace_id = std::move(request.trace_id);
    row.accepted_at_ms = epoch_ms_now();
    row.next_attempt_at_ms = row.accepted_at_ms;
    store_.save_async_event(row);
    const std::string id = row.request_id;
    const std::uint64_t key = next_key_++;
    events_.emplace(key, std::make_unique<Event>(io_, std::move(row)));
    schedule(key, 0);
    return id;
}

void AsyncQueue::schedule(std::uint64_t key, std::int64_t at_ms) {
    Event& event = *events_.at(key);
    event.timer.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(0, at_ms - epoch_ms_now())));
    event.timer.async_wait([this, key, alive = alive_](boost::system::error_code ec) {
        if (!ec && *alive) attempt(key);
    });
}

void AsyncQueue::attempt(std::uint64_t key) {
    auto it = events_.find(key);
    if (it == events_.end()) return;
    Event& event = *it->second;
    InvokeRequest request;
    try {
        const auto resolved = registry_.resolve(event.row.function, event.row.qualifier);
        request.function = resolved.config;
        request.version = resolved.version;
    } catch (const AwsException&) {
        // The function (or its qualifier) was deleted while the event waited: nothing left to run.
        store_.delete_async_event(event.row.request_id);
        events_.erase(it);
        return;
    }
    request.invoked_arn = control::function_arn(registry_.account(), event.row.function, event.row.qualifier);
    request.payload = event.row.payload;
    request.trace_id = event.row.trace_id;
    request.invocation_type = "Event";
    // Every attempt carries the event's request id, as Lambda's retries do.
    request.request_id = event.row.request_id;
    ++event.row.attempts;
    scheduler_.invoke(std::move(request), [this, key, alive = alive_](InvokeResult result) {
        if (*alive) on_result(key, std::move(result));
    });
}

void AsyncQueue::on_result(std::uint64_t key, InvokeResult result) {
    auto it = events_.find(key);
    if (it == events_.end()) return;
    Event& event = *it->second;
    const auto config = registry_.find(event.row.function);
    const control::EventInvokeConfig settings =
        config && config->event_invoke ? *config->event_invoke : control::EventInvokeConfig{};
    const model::Duration max_age = settings.maximum_event_age_s
                                        ? model::Duration(std::chrono::seconds(*settings.maximum_event_age_s))
                                        : profile_.async.max_event_age;
    const std::int64_t expires_at_ms =
        event.row.accepted_at_ms +
        std::chrono::duration_cast<std::chrono::milliseconds>(profile_.scaled(max_age)).count();
    const int max_retries = settings.maximum_retry_attempts.value_or(profile_.async.max_retries);

    // Schedules another attempt, or fails the event if it would be too old by then.
    const auto retry = [&](model::Duration delay) {
        event.row.next_attempt_at_ms = ms_from_now(profile_.scaled(delay));
        if (event.row.next_attempt_at_ms >= expires_at_ms) {
            fail(event, "EventAgeExceeded", result);
            return false;
        }
        store_.update_async_event(event.row);
        schedule(key, event.row.next_attempt_at_ms);
        return true;
    };

    if (!result.error && !result.function_error) {
        succeed(event, result);
    } else if (result.error && result.error->status == 429 && config && config->reserved_concurrency == 0) {
        // Reserved concurrency 0: straight to the dead-letter queue, without retries.
        fail(event, "ReservedConcurrencyZero", result);
    } else if (result.error &&
               (result.error->status == 429 || result.error->status >= 500 || result.error->status == 409)) {
        // Throttled, a service error, or the function is Pending: back in the queue, 1 s doubling to 5 min.
        event.throttle_backoff = event.throttle_backoff == model::Duration::zero()
                                     ? profile_.async.throttle_backoff_initial
                                     : std::min(event.throttle_backoff * 2, profile_.async.throttle_backoff_max);
        if (retry(event.throttle_backoff)) return;
    } else if (result.function_error && event.row.function_errors < max_retries) {
        const auto& delays = profile_.async.retry_delays;
        const model::Duration delay =
            delays.empty()
                ? model::Duration::zero()
                : delays[std::min<std::size_t>(static_cast<std::size_t>(event.row.function_errors), delays.size() - 1)];
        ++event.row.function_errors;
        if (retry(delay)) return;
    } else {
        fail(event, "RetriesExhausted", result);
    }
    store_.delete_async_event(event.row.request_id);
    events_.erase(key);
}

std::string AsyncQueue::record_json(const Event& event, const std::string& condition,
                                    const InvokeResult& result) const {
    json response_context = {{"statusCode", result.error ? result.error->status : 200},
                             {"executedVersion", result.executed_version}};
    if (result.function_error) response_context["functionError"] = "Unhandled";
    json record = {
        {"version", "1.0"},
        {"timestamp", iso8601_ms(std::chrono::system_clock::now())},
        {"requestContext",
         {{"requestId", event.row.request_id},
          {"functionArn", control::function_arn(registry_.account(), event.row.function,
                                                event.row.qualifier.empty() ? "$LATEST" : event.row.qualifier)},
          {"condition", condition},
          {"approximateInvokeCount", event.row.attempts}}},
        {"requestPayload", embedded(event.row.payload)},
        {"responseContext", response_context}};
    if (result.error) {
        record["responsePayload"] = {{"errorType", result.error->type}, {"errorMessage", result.error->message}};
    } else if (!result.payload.empty()) {
        record["responsePayload"] = embedded(result.payload);
    }
    return record.dump();
}

void AsyncQueue::succeed(Event& event, const InvokeResult& result) {
    const auto config = registry_.find(event.row.function);
    if (config && config->event_invoke && !config->event_invoke->on_success.empty()) {
        forward(event, config->event_invoke->on_success, record_json(event, "Success", result), "Success");
    }
}

void AsyncQueue::fail(Event& event, const std::string& condition, const InvokeResult& result) {
    const auto config = registry_.find(event.row.function);
    const std::string record = record_json(event, condition, result);
    std::string destination;
    if (config && config->event_invoke) destination = config->event_invoke->on_failure;
    if (destination.empty() && config) destination = config->dead_letter_target;
    forward(event, destination, record, condition);
}

void AsyncQueue::forward(const Event& event, const std::string& destination, const std::string& record,
                         const std::string& condition) {
    // A Lambda function destination gets the record as an asynchronous event of its own.
    if (const auto target = control::parse_function_name(destination);
        target && destination.starts_with("arn:aws:lambda:")) {
        try {
            const auto resolved = registry_.resolve(target->name, target->qualifier);
            InvokeRequest request;
            request.function = resolved.config;
            request.version = resolved.version;
            request.payload = record;
            enqueue(std::move(request), target->qualifier);
            return;
        } catch (const AwsException& e) {
            std::fprintf(stderr, "lambdalab: destination %s: %s\n", destination.c_str(), e.what());
        }
    }
    // SQS, SNS and EventBridge are not emulated: failures are kept in the store instead.
    if (condition == "Success") return;
    store_.record_dead_letter(
        {event.row.request_id, event.row.function, condition, destination, record, epoch_ms_now()});
}

}  // namespace lambdalab::scheduler
