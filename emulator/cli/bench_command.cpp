// lambdalab bench SUITE: runs a benchmark suite against a running emulator (--endpoint) or one
// started in-process, stores the run and prints its report and headline.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/emulator.hpp"
#include "app/profile_settings.hpp"
#include "cli/commands.hpp"
#include "lab/progress.hpp"
#include "lab/report.hpp"
#include "lab/runner.hpp"
#include "lab/suite.hpp"
#include "model/profile.hpp"

namespace lambdalab::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::atomic<bool> interrupted{false};

void on_interrupt(int signal_number) {
    // The first Ctrl-C stops the run gracefully; a second one ends the process at once.
    if (interrupted.exchange(true)) {
        std::signal(signal_number, SIG_DFL);
        std::raise(signal_number);
    }
}

// Installs the Ctrl-C handler for the length of a run.
class InterruptGuard {
  public:
    InterruptGuard() {
        interrupted = false;
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
    }
    ~InterruptGuard() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

  private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

// An emulator on a thread of this process, restartable with another profile (a restart stops its
// sandboxes; the store and the run in it carry on).
class InProcessEmulator {
  public:
    explicit InProcessEmulator(app::EmulatorOptions options) : options_(std::move(options)) {}
    ~InProcessEmulator() { stop(); }

    std::string start(const std::string& profile) {
        stop();
        options_.profile = profile;
        emulator_ = std::make_unique<app::Emulator>(options_);
        thread_ = std::thread([this] { emulator_->run(/*handle_signals=*/false); });
        return "http://127.0.0.1:" + std::to_string(emulator_->port());
    }

    void stop() {
        if (!emulator_) return;
        emulator_->stop();
        thread_.join();
        emulator_.reset();
    }

  private:
    app::EmulatorOptions options_;
    std::unique_ptr<app::Emulator> emulator_;
    std::thread thread_;
};

// A functions file's entries with their CodeDirectory made absolute (relative to that file).
std::vector<json> read_functions(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read functions file " + file.string());
    const json document = json::parse(in);
    const json& list = document.is_array() ? document : document.at("Functions");
    std::vector<json> out;
    for (json entry : list) {
        if (entry.contains("CodeDirectory") && entry["CodeDirectory"].is_string()) {
            const std::string dir = entry["CodeDirectory"];
            if (!dir.starts_with("${") && !fs::path(dir).is_absolute()) {
                entry["CodeDirectory"] = (fs::absolute(file).parent_path() / dir).lexically_normal().string();
            }
        }
        out.push_back(std::move(entry));
    }
    return out;
}

// The functions an in-process run declares: the target's file, the suite's file, then its inline
// declarations (a later declaration of a name wins). Empty path when there are none.
fs::path write_functions(const lab::Suite& suite, const LabTarget& target) {
    std::map<std::string, json> by_name;
    std::vector<std::string> order;
    const auto add = [&](const json& entry) {
        const std::string name = entry.value("FunctionName", "");
        if (!by_name.contains(name)) order.push_back(name);
        by_name[name] = entry;
    };
    if (!target.functions_file.empty()) {
        for (const auto& entry : read_functions(target.functions_file)) add(entry);
    }
    if (!suite.functions_file.empty()) {
        for (const auto& entry : read_functions(suite.functions_file)) add(entry);
    }
    for (const auto& entry : suite.functions) add(entry);
    if (order.empty()) return {};
    json list = json::array();
    for (const auto& name : order) list.push_back(by_name[name]);
    fs::create_directories(target.data_dir);
    const fs::path file = target.data_dir / "bench-functions.json";
    std::ofstream(file) << json{{"Functions", list}}.dump(2);
    return file;
}

struct BenchOptions {
    fs::path suite;
    LabTarget target;
    bool check = false;
    std::optional<int> repetitions;
    fs::path csv;
    fs::path json_file;
};

void print_plan(const lab::Suite& suite) {
    std::printf("suite %s: %zu variants x %d repetitions, %ld measured invocations\n", suite.name.c_str(),
                suite.variants.size(), suite.repetitions, suite.planned_invocations());
    for (const auto& v : suite.variants) std::printf("  %-24s %s\n", v.name.c_str(), v.config().dump().c_str());
    if (!suite.headline.empty()) std::printf("headline: %s\n", suite.headline.c_str());
}

void write_file(const fs::path& file, const std::string& text) {
    std::ofstream out(file);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    out << text;
}

int run_bench(BenchOptions& options) {
    lab::Suite suite;
    try {
        suite = lab::load_suite(options.suite);
        // Profile settings are the emulator's to check; check them before anything runs.
        model::Profile probe = *model::bundled_profile(suite.emulator.profile);
        app::apply_settings(probe, suite.emulator.settings);
    } catch (const lab::SuiteError& e) {
        std::fprintf(stderr, "lambdalab: %s: %s\n", options.suite.c_str(), e.what());
        return 2;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "lambdalab: %s: suite.emulator.settings: %s\n", options.suite.c_str(), e.what());
        return 2;
    }
    if (options.repetitions) suite.repetitions = *options.repetitions;
    if (options.check) {
        print_plan(suite);
        return 0;
    }
    lab::ProgressPrinter progress(stderr, ::isatty(STDERR_FILENO) != 0);
    lab::RunnerOptions runner;
    runner.progress = &progress;
    runner.environment = {{"suiteFile", suite.file.string()}};
    const lab::RunResult result = run_lab(suite, options.target, runner);

    std::printf("%s", lab::report_text(result.run).c_str());
    const double rate = result.measuring_s > 0 ? static_cast<double>(result.measured) / result.measuring_s : 0;
    std::printf("\nmeasured %ld invocations in %.2f s of load (%.0f/s); %s invocation rows stored; run took %.1f s\n",
                result.measured, result.measuring_s, rate,
                result.run.value("invocations", json()).is_number()
                    ? std::to_string(result.run["invocations"].get<long long>()).c_str()
                    : "?",
                result.elapsed_s);
    if (!result.headline.empty()) std::printf("%s\n", result.headline.c_str());
    std::printf("run %lld %s (lambdalab report %lld)\n", static_cast<long long>(result.run_id), result.status.c_str(),
                static_cast<long long>(result.run_id));
    if (!options.csv.empty()) write_file(options.csv, lab::report_csv(result.run));
    if (!options.json_file.empty()) write_file(options.json_file, lab::report_json(result.run));
    if (result.status == "incomplete") return 130;
    return result.status == "complete" ? 0 : 1;
}

}  // namespace

lab::RunResult run_lab(const lab::Suite& suite, const LabTarget& target, lab::RunnerOptions& runner) {
    InterruptGuard guard;
    runner.interrupted = &interrupted;
    std::unique_ptr<InProcessEmulator> local;
    if (target.endpoint.empty()) {
        app::EmulatorOptions options;
        options.port = 0;
        options.data_dir = target.data_dir;
        options.functions_file = write_functions(suite, target);
        options.time_scale = suite.emulator.time_scale;
        options.settings = suite.emulator.settings;
        options.dynamodb_port = 0;
        options.quiet = true;
        local = std::make_unique<InProcessEmulator>(options);
        runner.endpoint = local->start(suite.emulator.profile);
        runner.use_profile = [&local](const std::string& profile) { return local->start(profile); };
        runner.environment["mode"] = "in-process";
        runner.environment["dataDir"] = fs::absolute(target.data_dir).string();
    } else {
        runner.endpoint = target.endpoint;
        runner.environment["mode"] = "remote";
        if (!suite.emulator.settings.empty() || suite.emulator.time_scale > 0) {
            if (runner.progress) {
                runner.progress->message("note: the suite's emulator settings apply to in-process runs; " +
                                         target.endpoint + " keeps its own");
            }
        }
    }
    runner.environment["hostCores"] = std::thread::hardware_concurrency();
    char hostname[256] = {};
    ::gethostname(hostname, sizeof hostname - 1);
    runner.environment["hostname"] = hostname;
    runner.environment["lambdalabVersion"] = "0.1.0";
    lab::RunResult result = lab::run_suite(suite, runner);
    if (local) local->stop();
    return result;
}

void add_bench_command(CLI::App& app) {
    auto options = std::make_shared<BenchOptions>();
    auto* cmd = app.add_subcommand("bench", "Run a benchmark suite (bench/suites/*.json) and store the run");
    cmd->add_option("suite", options->suite, "The suite file")->required();
    cmd->add_option("--endpoint", options->target.endpoint,
                    "A running emulator (http://127.0.0.1:9000); without it an emulator is started in-process");
    cmd->add_option("--data-dir", options->target.data_dir, "In-process: the emulator's data directory (its store)")
        ->capture_default_str();
    cmd->add_flag("--check", options->check, "Validate the suite and print its variants, without running it");
    cmd->add_option("--repetitions", options->repetitions, "Override the suite's repetitions");
    cmd->add_option("--csv", options->csv, "Also write the per-variant statistics as CSV");
    cmd->add_option("--json", options->json_file, "Also write the run with its statistics as JSON");
    cmd->callback([options] {
        const int code = run_bench(*options);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace lambdalab::cli
