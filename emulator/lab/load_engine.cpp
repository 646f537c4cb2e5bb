#include "lab/load_engine.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cmath>
#include <deque>
#include <random>
#include <set>

#include "lab/lambda_client.hpp"
#include "net/http_client.hpp"

namespace lambdalab::lab {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

std::string InvocationResult::outcome() const {
    if (http_status == 0) return "network";
    if (http_status == 429) return "throttled";
    if (http_status >= 300) return "rejected";
    if (!function_error.empty()) return "error";
    return "success";
}

namespace {

double epoch_ms_now() {
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Connection {
    explicit Connection(asio::io_context& io) : stream(io) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    bool connected = false;
    bool abandoned = false;  // closed on purpose: its handlers report nothing
    bool side = false;       // carries a periodic (uncounted) request
};
using ConnectionPtr = std::shared_ptr<Connection>;
using Done = std::function<void(InvocationResult)>;

struct Exchange {
    double timeout_s = 960;
    bool keep_body = false;
    SteadyClock::time_point started;
    double sent_at_ms = 0;
    Done done;
};

bool stale_connection_error(const boost::system::error_code& ec) {
    return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
           ec == asio::error::broken_pipe || ec == asio::error::connection_aborted;
}

}  // namespace

struct LoadEngine::Impl {
    Impl(const std::string& h, const std::string& p, std::string path_prefix)
        : host(h), port(p), prefix(std::move(path_prefix)) {
        tcp::resolver resolver(io);
        endpoints = resolver.resolve(host, port);
    }

    asio::io_context io{1};
    std::string host;
    std::string port;
    std::string prefix;
    tcp::resolver::results_type endpoints;
    std::vector<ConnectionPtr> idle;
    std::set<ConnectionPtr> busy;

    void build(Connection& c, const InvocationSpec& spec) {
        std::string target = prefix + "/2015-03-31/functions/" + net::percent_encode(spec.function) + "/invocations";
        if (!spec.qualifier.empty()) target += "?Qualifier=" + net::percent_encode(spec.qualifier);
        c.request = {};
        c.request.method(http::verb::post);
        c.request.target(target);
        c.request.version(11);
        c.request.set(http::field::host, host + ":" + port);
        c.request.set(http::field::content_type, "application/json");
        if (!spec.run_id.empty()) c.request.set("X-Lambdalab-Run-Id", spec.run_id);
        if (!spec.variant.empty()) c.request.set("X-Lambdalab-Variant", spec.variant);
        if (spec.tail) c.request.set("X-Amz-Log-Type", "Tail");
        c.request.keep_alive(true);
        c.request.body() = spec.body;
        c.request.prepare_payload();
    }

    void send(const InvocationSpec& spec, double timeout_s, bool keep_body, bool side, Done done) {
        ConnectionPtr c;
        if (!idle.empty()) {
            c = std::move(idle.back());
            idle.pop_back();
        } else {
            c = std::make_shared<Connection>(io);
        }
        c->side = side;
        build(*c, spec);
        auto exchange = std::make_shared<Exchange>();
        exchange->timeout_s = timeout_s;
        exchange->keep_body = keep_body;
        exchange->started = SteadyClock::now();
        exchange->sent_at_ms = epoch_ms_now();
        exchange->done = std::move(done);
        start(c, /*may_retry=*/c->connected, exchange);
    }

    void start(const ConnectionPtr& c, bool may_retry, const std::shared_ptr<Exchange>& x) {
        busy.insert(c);
        c->stream.expires_after(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(x->timeout_s)));
        if (c->connected) return write(c, may_retry, x);
        c->stream.async_connect(endpoints, [this, c, x](const boost::system::error_code& ec, const tcp::endpoint&) {
            if (ec) return failed(c, false, x, ec);
            c->connected = true;
            boost::system::error_code ignored;
            c->stream.socket().set_option(tcp::no_delay(true), ignored);
            write(c, false, x);
        });
    }

    void write(const ConnectionPtr& c, bool may_retry, const std::shared_ptr<Exchange>& x) {
        http::async_write(
            c->stream, c->request, [this, c, may_retry, x](const boost::system::error_code& ec, std::size_t) {
                if (ec) return failed(c, may_retry, x, ec);
                c->parser.emplace();
                c->parser->body_limit(64 * 1024 * 1024);
                http::async_read(c->stream, c->buffer, *c->parser,
                                 [this, c, may_retry, x](const boost::system::error_code& read_ec, std::size_t) {
                                     if (read_ec) return failed(c, may_retry, x, read_ec);
                                     completed(c, x);
                                 });
            });
    }

    void close(Connection& c) {
        boost::system::error_code ignored;
        c.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        c.stream.close();
        c.connected = false;
    }

    void failed(const ConnectionPtr& c, bool may_retry, const std::shared_ptr<Exchange>& x,
                const boost::system::error_code& ec) {
        busy.erase(c);
        const bool abandoned = c->abandoned;
        close(*c);
        if (abandoned) return;
        if (may_retry && stale_connection_error(ec)) {
            // The server closed a kept-alive connection: once more on a new one.
            auto fresh = std::make_shared<Connection>(io);
            fresh->side = c->side;
            fresh->request = std::move(c->request);
            x->started = SteadyClock::now();
            x->sent_at_ms = epoch_ms_now();
            return start(fresh, false, x);
        }
        InvocationResult result;
        result.network_error =
            ec == beast::error::timeout ? "timed out after " + std::to_string(x->timeout_s) + " s" : ec.message();
        result.sent_at_ms = x->sent_at_ms;
        result.client_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - x->started).count();
        x->done(std::move(result));
    }

    void completed(const ConnectionPtr& c, const std::shared_ptr<Exchange>& x) {
        const double client_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - x->started).count();
        auto response = c->parser->release();
        c->parser.reset();
        busy.erase(c);
        if (c->abandoned) {
            close(*c);
            return;
        }
        InvocationResult result;
        result.http_status = static_cast<int>(response.result_int());
        result.client_ms = client_ms;
        result.sent_at_ms = x->sent_at_ms;
        const auto header = [&](const char* name) {
            const auto it = response.find(name);
            return it == response.end() ? std::string() : std::string(it->value());
        };
        result.request_id = header("x-amzn-RequestId");
        result.function_error = header("X-Amz-Function-Error");
        result.error_type = header("x-amzn-ErrorType");
        result.log_result = header("X-Amz-Log-Result");
        if (x->keep_body || result.http_status >= 300 || !result.function_error.empty())
            result.body = std::move(response.body());
        if (response.keep_alive()) {
            c->stream.expires_never();
            idle.push_back(c);
        } else {
            close(*c);
        }
        x->done(std::move(result));
    }

    // Closes every outstanding exchange (no results), e.g. on Ctrl-C.
    void abandon(bool side_only) {
        for (const auto& c : std::vector<ConnectionPtr>(busy.begin(), busy.end())) {
            if (side_only && !c->side) continue;
            c->abandoned = true;
            close(*c);
        }
    }
};

LoadEngine::LoadEngine(const std::string& host, const std::string& port, std::string path_prefix)
    : impl_(std::make_unique<Impl>(host, port, std::move(path_prefix))) {}

LoadEngine::~LoadEngine() = default;

JobCounters LoadEngine::run(const Job& job, const std::atomic<bool>& stop,
                            const std::function<void(const JobCounters&)>& tick) {
    Impl& impl = *impl_;
    impl.io.restart();
    JobCounters counters;
    const bool open = !job.schedule_ms.empty();
    const long total = open ? static_cast<long>(job.schedule_ms.size()) : job.num;
    const int cap = open ? job.max_in_flight : std::max(1, job.concurrency);
    const auto t0 = SteadyClock::now();
    bool stopping = false;
    bool finished = false;
    std::deque<long> backlog;
    long next_arrival = 0;
    std::vector<double> late(open ? job.schedule_ms.size() : 0, 0.0);
    std::mt19937_64 jitter(12345);

    asio::steady_timer arrivals(impl.io);
    asio::steady_timer ticker(impl.io);
    asio::steady_timer periodic(impl.io);
    std::set<std::shared_ptr<asio::steady_timer>> retry_timers;

    const auto elapsed_ms = [&] { return std::chrono::duration<double, std::milli>(SteadyClock::now() - t0).count(); };

    std::function<void()> pump;
    std::function<void()> finish_if_done;
    std::function<void(long, int)> attempt;

    const auto dispatch = [&](long index) {
        ++counters.launched;
        ++counters.in_flight;
        if (open)
            late[static_cast<std::size_t>(index)] =
                std::max(0.0, elapsed_ms() - job.schedule_ms[static_cast<std::size_t>(index)]);
        attempt(index, 1);
    };

    attempt = [&](long index, int number) {
        impl.send(job.make(index), job.timeout_s, job.keep_body, false, [&, index, number](InvocationResult result) {
            if (result.throttled() && number <= job.retries && !stopping) {
                // The SDK's standard retry: a random delay up to min(20 s, 100 ms x 2^attempt).
                const double cap_ms = std::min(20000.0, 100.0 * std::pow(2.0, number));
                const auto delay = std::chrono::microseconds(
                    static_cast<long>(std::uniform_real_distribution<double>(0, cap_ms)(jitter) * 1000));
                auto timer = std::make_shared<asio::steady_timer>(impl.io, delay);
                retry_timers.insert(timer);
                timer->async_wait([&, index, number, timer](const boost::system::error_code& ec) {
                    retry_timers.erase(timer);
                    if (stopping) return;  // in_flight was reset when stopping began
                    if (ec) {
                        --counters.in_flight;
                        finish_if_done();
                        return;
                    }
                    attempt(index, number + 1);
                });
                return;
            }
            result.attempts = number;
            --counters.in_flight;
            ++counters.completed;
            if (job.on_result) {
                std::optional<double> scheduled;
                std::optional<double> lateness;
                if (open) {
                    scheduled = job.schedule_ms[static_cast<std::size_t>(index)];
                    lateness = late[static_cast<std::size_t>(index)];
                }
                job.on_result(index, result, scheduled, lateness);
            }
            pump();
            finish_if_done();
        });
    };

    std::function<void()> arm_arrivals;
    arm_arrivals = [&] {
        if (stopping || next_arrival >= total) return;
        const double due = job.schedule_ms[static_cast<std::size_t>(next_arrival)];
        arrivals.expires_at(t0 + std::chrono::microseconds(static_cast<long long>(due * 1000)));
        arrivals.async_wait([&](const boost::system::error_code& ec) {
            if (ec || stopping) return;
            const double now = elapsed_ms();
            while (next_arrival < total && job.schedule_ms[static_cast<std::size_t>(next_arrival)] <= now) {
                if (counters.in_flight < cap)
                    dispatch(next_arrival);
                else
                    backlog.push_back(next_arrival);
                ++next_arrival;
            }
            arm_arrivals();
        });
    };

    pump = [&] {
        if (stopping) return;
        if (open) {
            while (!backlog.empty() && counters.in_flight < cap) {
                const long index = backlog.front();
                backlog.pop_front();
                dispatch(index);
            }
            return;
        }
        while (counters.launched < total && counters.in_flight < cap) dispatch(counters.launched);
    };

    finish_if_done = [&] {
        if (finished) return;
        const bool all_done = counters.completed >= total;
        if (!(all_done || stopping) || counters.in_flight > 0) return;
        finished = true;
        arrivals.cancel();
        ticker.cancel();
        periodic.cancel();
        impl.abandon(/*side_only=*/true);
    };

    const auto begin_stop = [&] {
        if (stopping || finished) return;
        stopping = true;
        counters.stopped = true;
        for (const auto& timer : retry_timers) timer->cancel();
        impl.abandon(/*side_only=*/false);
        counters.in_flight = 0;
        finish_if_done();
    };

    std::function<void()> arm_ticker;
    arm_ticker = [&] {
        ticker.expires_after(std::chrono::milliseconds(200));
        ticker.async_wait([&](const boost::system::error_code& ec) {
            if (ec || finished) return;
            if (stop.load()) begin_stop();
            if (tick) tick(counters);
            if (!finished) arm_ticker();
        });
    };

    std::function<void()> arm_periodic;
    arm_periodic = [&] {
        if (!job.periodic || finished || stopping) return;
        impl.send(*job.periodic, job.timeout_s, true, true, [&](InvocationResult result) {
            if (job.on_periodic) job.on_periodic(result);
        });
        periodic.expires_after(std::chrono::microseconds(static_cast<long long>(job.periodic_interval_s * 1e6)));
        periodic.async_wait([&](const boost::system::error_code& ec) {
            if (!ec) arm_periodic();
        });
    };

    if (stop.load() || total == 0) {
        counters.stopped = stop.load();
        return counters;
    }
    arm_ticker();
    arm_periodic();
    if (open)
        arm_arrivals();
    else
        pump();
    impl.io.run();
    if (tick) tick(counters);
    return counters;
}

}  // namespace lambdalab::lab
