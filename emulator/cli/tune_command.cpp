// lambdalab tune FUNCTION: AWS Lambda Power Tuning, offline. The same inputs, statistics, strategies
// and output as alexcasalboni/aws-lambda-power-tuning, measured on the emulator and stored as a run.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/profile_settings.hpp"
#include "cli/commands.hpp"
#include "lab/power_tuning.hpp"
#include "lab/progress.hpp"
#include "lab/runner.hpp"
#include "lab/suite.hpp"
#include "model/profile.hpp"

namespace lambdalab::cli {

using nlohmann::json;

namespace {

struct TuneOptions {
    std::string function;
    std::string memory = "128,256,512,1024,1536,3008";
    int num = 0;
    std::string payload;
    bool parallel = false;
    std::string strategy = "cost";
    double balanced_weight = 0.5;
    std::optional<double> discard_top_bottom;
    bool only_cold_starts = false;
    std::vector<std::string> allowed_exceptions;
    LabTarget target;
    std::string profile = "aws-2026";
    std::vector<std::string> settings;
};

// "128,256,..." or "ALL" (128 to 3008 in steps of 64, as Power Tuning's powerValues: "ALL").
json power_values(const std::string& text) {
    json values = json::array();
    if (text == "ALL") {
        for (int value = 128; value <= 3008; value += 64) values.push_back(value);
        return values;
    }
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        try {
            std::size_t used = 0;
            const int value = std::stoi(item, &used);
            if (used != item.size()) throw std::invalid_argument(item);
            values.push_back(value);
        } catch (const std::exception&) {
            throw CLI::ValidationError("--memory", "'" + item + "' is not a memory size in MB");
        }
    }
    if (values.empty()) throw CLI::ValidationError("--memory", "no power values");
    return values;
}

int run_tune(const TuneOptions& options) {
    json document = {{"name", "tune " + options.function},
                     {"description", "lambdalab tune: AWS Lambda Power Tuning"},
                     {"function", options.function},
                     {"load", {{"num", options.num}, {"retries", 19}}},
                     {"start", options.only_cold_starts ? "cold" : "any"},
                     {"matrix", {{"memory", power_values(options.memory)}}},
                     {"emulator", {{"profile", options.profile}, {"settings", options.settings}}}};
    if (options.parallel) document["load"]["parallel"] = true;
    if (!options.payload.empty()) document["payload"] = options.payload;
    // Power Tuning clamps both rather than refusing them.
    json pt = {{"strategy", options.strategy}, {"balancedWeight", lab::balanced_weight(options.balanced_weight)}};
    if (options.discard_top_bottom)
        pt["discardTopBottom"] = lab::discard_top_bottom(options.discard_top_bottom, options.only_cold_starts);
    document["analysis"] = {{"powerTuning", pt}};

    lab::Suite suite;
    try {
        suite = lab::parse_suite(document, std::filesystem::current_path());
        model::Profile probe = *model::bundled_profile(suite.emulator.profile);
        app::apply_settings(probe, suite.emulator.settings);
    } catch (const std::invalid_argument& e) {
        // Name the flag, not the suite field it became.
        std::string message = e.what();
        for (const auto& [field, flag] :
             std::vector<std::pair<std::string, std::string>>{{"suite.matrix.memory", "--memory"},
                                                              {"suite.load.num", "--num"},
                                                              {"suite.load", "--num"},
                                                              {"suite.analysis.powerTuning", "--num"},
                                                              {"suite.function", "FUNCTION"},
                                                              {"suite.emulator", "--set"}}) {
            if (message.starts_with(field)) {
                message = flag + message.substr(field.size());
                break;
            }
        }
        std::fprintf(stderr, "lambdalab: tune: %s\n", message.c_str());
        return 2;
    }

    lab::ProgressPrinter progress(stderr, ::isatty(STDERR_FILENO) != 0);
    lab::RunnerOptions runner;
    runner.kind = "tune";
    runner.progress = &progress;
    runner.stop_on_function_error = true;
    runner.allowed_exceptions = options.allowed_exceptions;
    const lab::RunResult result = run_lab(suite, options.target, runner);
    const json tuned =
        result.result.contains("powerTuning") ? result.result["powerTuning"].value(options.function, json()) : json();
    if (result.status == "failed" || !tuned.is_object() || tuned.contains("error")) {
        // Say why: the run's own message, else why its power values were not measured.
        std::string why = result.message;
        for (const auto& variant : result.run.value("variants", json::array())) {
            if (!why.empty()) break;
            if (variant.value("message", json()).is_string()) why = variant["message"].get<std::string>();
        }
        if (why.empty()) why = tuned.is_object() ? tuned.value("error", "no results") : "no results";
        std::fprintf(stderr, "lambdalab: tune failed: %s\n", why.c_str());
        std::fprintf(stderr, "run %lld %s (lambdalab report %lld)\n", static_cast<long long>(result.run_id),
                     result.status.c_str(), static_cast<long long>(result.run_id));
        return 1;
    }
    std::printf("%s\n", lab::ordered_output(tuned).dump(2).c_str());
    std::fprintf(stderr, "run %lld %s (lambdalab report %lld)\n", static_cast<long long>(result.run_id),
                 result.status.c_str(), static_cast<long long>(result.run_id));
    return result.status == "complete" ? 0 : 130;
}

}  // namespace

void add_tune_command(CLI::App& app) {
    auto options = std::make_shared<TuneOptions>();
    auto* cmd = app.add_subcommand("tune", "AWS Lambda Power Tuning, offline: find the memory size by cost or speed");
    cmd->add_option("function", options->function, "The function to tune")->required();
    cmd->add_option("--memory", options->memory, "Power values in MB, comma-separated, or ALL (128..3008 by 64)")
        ->capture_default_str();
    cmd->add_option("--num", options->num, "Invocations per power value (at least 5)")->required();
    cmd->add_option("--payload", options->payload,
                    "The event (JSON; a string that is not JSON is sent as a JSON string)");
    cmd->add_flag("--parallel", options->parallel,
                  "Send each power value's invocations all at once (parallelInvocation)");
    cmd->add_option("--strategy", options->strategy, "cost, speed or balanced")
        ->check(CLI::IsMember({"cost", "speed", "balanced"}))
        ->capture_default_str();
    cmd->add_option("--balanced-weight", options->balanced_weight, "0 = speed, 1 = cost (balanced strategy)")
        ->capture_default_str();
    cmd->add_option("--discard-top-bottom", options->discard_top_bottom,
                    "Share of the slowest and fastest invocations left out of the mean (default 0.2, 0 with "
                    "--only-cold-starts; at most 0.4)");
    cmd->add_flag("--only-cold-starts", options->only_cold_starts, "Make every invocation a cold start");
    cmd->add_option("--allowed-exceptions", options->allowed_exceptions, "errorTypes that do not fail the tuning")
        ->delimiter(',');
    cmd->add_option("--endpoint", options->target.endpoint,
                    "A running emulator; without it an emulator is started in-process");
    cmd->add_option("--data-dir", options->target.data_dir, "In-process: the emulator's data directory (its store)")
        ->capture_default_str();
    cmd->add_option("--functions", options->target.functions_file,
                    "In-process: a functions file declaring the function");
    cmd->add_option("--profile", options->profile, "In-process: the simulation profile")->capture_default_str();
    cmd->add_option("--set", options->settings, "In-process: override a profile setting (repeatable)");
    cmd->callback([options] {
        const int code = run_tune(*options);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace lambdalab::cli
