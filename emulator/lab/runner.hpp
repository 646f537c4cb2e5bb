#pragma once
// Runs a suite against an emulator: creates the run through the lab API, then for each repetition
// and variant sets the function up as AWS would (UpdateFunctionConfiguration, which discards warm
// sandboxes; Put/DeleteFunctionConcurrency; PublishVersion + alias + PutProvisionedConcurrencyConfig),
// warms it up or forces cold starts, drives the load, and uploads the client-side samples. Every
// invocation carries the run and variant headers, so the emulator's own records are the run's.
// At the end it restores each function's configuration, analyzes (Power Tuning), renders the
// headline and finishes the run: complete, incomplete (interrupted: what was measured is kept) or
// failed. A variant the emulator cannot set up (an API it does not have yet) is skipped, with why.
#include <atomic>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lab/suite.hpp"

namespace lambdalab::lab {

class ProgressPrinter;

struct RunnerOptions {
    std::string endpoint;                            // http://host:port of the emulator
    std::string kind = "suite";                      // suite | tune (stored with the run)
    const std::atomic<bool>* interrupted = nullptr;  // set by Ctrl-C
    ProgressPrinter* progress = nullptr;             // progress line and messages; null: silent
    // In-process runs: restarts the emulator with another profile and returns its endpoint. Empty
    // for a remote emulator, whose variants that need another profile are skipped.
    std::function<std::string(const std::string& profile)> use_profile;
    bool stop_on_function_error = false;                    // Power Tuning: a function error fails the run
    std::vector<std::string> allowed_exceptions;            // ... unless its errorType is one of these
    nlohmann::json environment = nlohmann::json::object();  // stored with the run (host, mode)
};

struct RunResult {
    std::int64_t run_id = 0;
    std::string status;  // complete | incomplete | failed
    std::string message;
    std::string headline;
    nlohmann::json result = nlohmann::json::object();  // {"powerTuning": {function: output}}
    nlohmann::json run;                                // the stored run, with per-variant statistics
    long measured = 0;                                 // measured invocations that completed
    double elapsed_s = 0;                              // wall time of the whole run
    double measuring_s = 0;                            // time spent inside measured loads
    std::string endpoint;                              // the emulator at the end
};

// Throws only when the run cannot even be created (no lab API at the endpoint).
RunResult run_suite(const Suite& suite, RunnerOptions& options);

}  // namespace lambdalab::lab
