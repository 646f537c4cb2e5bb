#include "app/emulator.hpp"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api/api_server.hpp"
#include "app/profile_settings.hpp"
#include "common/aws_error.hpp"
#include "control/function_registry.hpp"
#include "dynamodb/dynamodb_service.hpp"
#include "lab/lab_api.hpp"
#include "model/clock.hpp"
#include "model/profile.hpp"
#include "sandbox/resource_control.hpp"
#include "sandbox/sandbox_tmp.hpp"
#include "scheduler/async_queue.hpp"
#include "scheduler/scheduler.hpp"
#include "store/store.hpp"
#include "ui/ui_api.hpp"

#ifndef LAMBDALAB_SOURCE_DIR
#define LAMBDALAB_SOURCE_DIR "."
#endif
#ifndef LAMBDALAB_VERSION
#define LAMBDALAB_VERSION "unknown"
#endif

namespace lambdalab::app {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path default_runtimes_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && fs::exists(exe.parent_path() / "runtimes" / "python" / "bootstrap.py"))
        return exe.parent_path() / "runtimes";
    return fs::path(LAMBDALAB_SOURCE_DIR) / "runtimes";
}

namespace {

model::Profile make_profile(const EmulatorOptions& options) {
    auto profile = model::bundled_profile(options.profile);
    if (!profile) {
        std::string names;
        for (const auto& name : model::bundled_profile_names()) names += (names.empty() ? "" : ", ") + name;
        throw std::invalid_argument("unknown profile '" + options.profile + "' (one of: " + names + ")");
    }
    if (options.time_scale > 0) profile->time_scale = options.time_scale;
    apply_settings(*profile, options.settings);
    return *profile;
}

fs::path interpreter(const char* preferred, const char* name) {
    if (::access(preferred, X_OK) == 0) return preferred;
    return scheduler::find_on_path(name);
}

// ${LAMBDALAB_BUILD_DIR} in a CodeDirectory stands for the directory of the lambdalab executable,
// where the C++ functions are built.
std::string expand(std::string text) {
    const std::string key = "${LAMBDALAB_BUILD_DIR}";
    std::error_code ec;
    const fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key))
        text.replace(pos, key.size(), exe_dir.string());
    return text;
}

std::unique_ptr<dynamodb::DynamoDbService> make_dynamodb(const EmulatorOptions& options) {
    const int port = options.dynamodb_port.value_or(8000);
    if (port < 0) return nullptr;
    if (port > 65535) throw std::invalid_argument("invalid DynamoDB port " + std::to_string(port));
    dynamodb::DynamoDbServiceOptions service;
    service.host = options.host;
    service.port = static_cast<std::uint16_t>(port);
    service.fall_back_to_free_port = !options.dynamodb_port;
    service.database = options.data_dir / "dynamodb.db";
    service.latency = dynamodb::Latency::parse(options.dynamodb_latency);
    service.region = options.region;
    service.account_id = options.account_id;
    return std::make_unique<dynamodb::DynamoDbService>(std::move(service));
}

}  // namespace

struct Emulator::Parts {
    explicit Parts(EmulatorOptions opts)
        : options(std::move(opts)),
          profile(make_profile(options)),
          store(options.data_dir / "lambdalab.db"),
          resources(sandbox::make_resource_provider(io, sandbox::parse_mechanism(options.resource_control))),
          registry(store, options.data_dir / "code", control::Account{options.region, options.account_id}),
          scheduler(io, registry, store, profile, clock, scheduler_options()),
          queue(io, scheduler, registry, store, profile),
          api(io, options.host, options.port, registry, scheduler, queue),
          signals(io),
          dynamodb(make_dynamodb(options)),
          lab(store.path(), lab::LabInfo{profile.name, profile.time_scale, options.region}),
          ui(store.path(), registry, scheduler,
             ui::UiInfo{LAMBDALAB_VERSION, options.region, resources->describe(), sandbox::host_cores(),
                        describe(profile), options.data_dir.string()}) {}

    scheduler::SchedulerOptions scheduler_options() {
        scheduler::SchedulerOptions out;
        out.paths.runtimes_dir = options.runtimes_dir.empty() ? default_runtimes_dir() : options.runtimes_dir;
        out.paths.python = interpreter("/usr/bin/python3", "python3");
        out.paths.node = interpreter("/usr/bin/node", "node");
        out.sandbox_root = options.data_dir / "sandboxes";
        out.resources = resources.get();
        out.tmp = sandbox::detect_tmp_isolation(out.sandbox_root);
        return out;
    }

    void declare_functions() {
        if (options.functions_file.empty()) return;
        std::ifstream in(options.functions_file);
        if (!in) throw std::runtime_error("cannot read " + options.functions_file.string());
        json file = json::parse(in);
        const json& list = file.is_array() ? file : file.at("Functions");
        const fs::path base = fs::absolute(options.functions_file).parent_path();
        for (json entry : list) {
            if (entry.contains("CodeDirectory"))
                entry["CodeDirectory"] = expand(entry["CodeDirectory"].get<std::string>());
            try {
                registry.declare(entry, base);
            } catch (const AwsException& e) {
                throw std::runtime_error(options.functions_file.string() + ": function " +
                                         entry.value("FunctionName", "?") + ": " + e.error().message);
            }
        }
    }

    // Stops taking work, answers what is in flight (ServiceException), stops every sandbox, and
    // leaves the answers a moment to go out before the loop ends.
    void shutdown() {
        if (stopping) return;
        stopping = true;
        api.stop_accepting();
        if (dynamodb) dynamodb->stop();
        scheduler.shutdown();
        signals.cancel();
        grace.expires_after(std::chrono::milliseconds(200));
        grace.async_wait([this](boost::system::error_code) {
            api.close();
            io.stop();
        });
    }

    EmulatorOptions options;
    model::Profile profile;
    model::SteadyClock clock;
    boost::asio::io_context io{1};
    store::Store store;
    std::unique_ptr<sandbox::ResourceProvider> resources;
    control::FunctionRegistry registry;
    scheduler::Scheduler scheduler;
    scheduler::AsyncQueue queue;
    api::ApiServer api;
    boost::asio::signal_set signals;
    boost::asio::steady_timer grace{io};
    bool stopping = false;
    std::unique_ptr<dynamodb::DynamoDbService> dynamodb;  // null when turned off
    lab::LabApi lab;  // the benchmark lab's /api/runs (reads and writes the store only)
    ui::UiApi ui;     // the web UI and its /api/ endpoints (reads the store, the registry and the scheduler)
};

Emulator::Emulator(EmulatorOptions options) : parts_(std::make_unique<Parts>(std::move(options))) {
    // Functions call back into the emulator (AWS_ENDPOINT_URL_LAMBDA) on the port actually bound.
    parts_->scheduler.set_lambda_endpoint("http://" + parts_->options.host + ":" + std::to_string(port()));
    const std::string dynamodb_url =
        parts_->dynamodb ? "http://" + parts_->options.host + ":" + std::to_string(parts_->dynamodb->port()) : "";
    if (parts_->dynamodb) parts_->scheduler.set_dynamodb_endpoint(dynamodb_url);
    parts_->api.add_extension(
        [this](const api::RequestTarget& target, net::Request& request, net::Responder& responder) {
            return parts_->lab.handle(target, request, responder);
        });
    parts_->api.add_extension(
        [this](const api::RequestTarget& target, net::Request& request, net::Responder& responder) {
            return parts_->ui.handle(target, request, responder);
        });
    parts_->registry.load();
    parts_->declare_functions();
    parts_->queue.restore();
    if (!parts_->options.quiet) {
        std::printf("lambdalab: Lambda API on http://%s:%u (profile %s, %zu functions, data in %s)\n",
                    parts_->options.host.c_str(), static_cast<unsigned>(port()), parts_->profile.name.c_str(),
                    parts_->registry.list().size(), parts_->options.data_dir.c_str());
        std::printf("lambdalab: resource control: %s\n", parts_->resources->describe().c_str());
        const auto web_ui = parts_->ui.assets_dir();
        std::printf("lambdalab: web UI on http://%s:%u/%s\n", parts_->options.host.c_str(),
                    static_cast<unsigned>(port()),
                    web_ui ? "" : " (not built: run scripts/install-deps.sh, then build)");
        if (parts_->dynamodb) {
            const auto& service = parts_->dynamodb->options();
            std::printf("lambdalab: DynamoDB API on %s (latency %s, data in %s)\n", dynamodb_url.c_str(),
                        service.latency.describe().c_str(), service.database.c_str());
        }
        std::fflush(stdout);
    }
}

Emulator::~Emulator() = default;

std::uint16_t Emulator::port() const {
    return parts_->api.port();
}

void Emulator::run(bool handle_signals) {
    if (handle_signals) {
        parts_->signals.add(SIGINT);
        parts_->signals.add(SIGTERM);
        parts_->signals.async_wait([this](boost::system::error_code ec, int) {
            if (!ec) parts_->shutdown();
        });
    }
    parts_->io.run();
    parts_->store.flush();
    if (!parts_->options.quiet) std::printf("lambdalab: stopped\n");
}

void Emulator::stop() {
    boost::asio::post(parts_->io, [this] { parts_->shutdown(); });
}

}  // namespace lambdalab::app
