// The Runtime API round trip through the real HTTP server: the benchmark thread is the runtime
// (GET /next, then POST /response over one keep-alive connection, as the bundled runtimes do) and the
// server hands it the next event as soon as it polls again.
#include <benchmark/benchmark.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <future>
#include <thread>

#include "net/http_client.hpp"
#include "sandbox/runtime_api.hpp"

namespace {

using namespace lambdalab;

class EchoListener final : public sandbox::RuntimeApiListener {
  public:
    sandbox::RuntimeApi* api = nullptr;
    std::string payload = "{}";
    std::uint64_t outcomes = 0;

    void deliver() {
        sandbox::Event event;
        event.request_id = "req-" + std::to_string(++delivered_);
        event.payload = payload;
        event.deadline_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count() +
            3600000;
        event.invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench";
        api->deliver(std::move(event));
    }
    void on_runtime_ready(std::optional<std::int64_t>) override { deliver(); }
    void on_init_error(sandbox::RuntimeOutcome) override {}
    void on_outcome(sandbox::RuntimeOutcome) override { ++outcomes; }
    void on_runtime_idle() override { deliver(); }

  private:
    std::uint64_t delivered_ = 0;
};

void BM_RuntimeApiRoundTrip(benchmark::State& state) {
    boost::asio::io_context io{1};
    auto guard = boost::asio::make_work_guard(io);
    EchoListener listener;
    listener.payload = std::string(static_cast<std::size_t>(state.range(0)), 'x');
    listener.payload = "\"" + listener.payload + "\"";
    std::promise<std::uint16_t> port;
    std::unique_ptr<sandbox::RuntimeApi> api;
    boost::asio::post(io, [&] {
        api = std::make_unique<sandbox::RuntimeApi>(io, listener);
        listener.api = api.get();
        port.set_value(api->port());
    });
    std::thread loop([&] { io.run(); });
    net::HttpClient runtime("127.0.0.1", std::to_string(port.get_future().get()));
    const std::string body = listener.payload;
    for (auto _ : state) {
        const net::Response next = runtime.get("/2018-06-01/runtime/invocation/next");
        const std::string id(next["Lambda-Runtime-Aws-Request-Id"]);
        const net::Response done = runtime.post("/2018-06-01/runtime/invocation/" + id + "/response", body);
        if (done.result_int() != 202) state.SkipWithError("response not accepted");
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * 2 * state.range(0));
    boost::asio::post(io, [&] {
        api->close();
        guard.reset();
    });
    loop.join();
}
BENCHMARK(BM_RuntimeApiRoundTrip)->Arg(16)->Arg(64 * 1024)->UseRealTime();

}  // namespace
