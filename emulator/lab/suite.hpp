#pragma once
// A benchmark suite (bench/suites/*.json, documented by bench/suite.schema.json and docs/lab.md):
// which functions, which variants of them (memory, architecture, environment, code, VPC, profile,
// reserved and provisioned concurrency, a warmer), what load, how many repetitions, and what to
// conclude. Parsing validates everything up front and names the offending field
// ("suite.variants[2].memory: must be an integer between 128 and 10240"). Pure logic: no I/O but
// resolving the paths the suite names.
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lab/arrivals.hpp"
#include "lab/power_tuning.hpp"

namespace lambdalab::lab {

// A suite that cannot run; `path` names the field, what() is "path: message".
class SuiteError : public std::invalid_argument {
  public:
    SuiteError(std::string path, const std::string& message)
        : std::invalid_argument(path + ": " + message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

struct Load {
    enum class Kind { closed, open };
    Kind kind = Kind::closed;
    // closed: `num` invocations, `concurrency` in flight at a time (1: one after another)
    long num = 1;
    int concurrency = 1;
    // open: arrivals from phases, at most max_in_flight outstanding (later arrivals wait and count as late)
    std::vector<Phase> phases;
    ArrivalProcess arrivals = ArrivalProcess::uniform;
    int max_in_flight = 256;
    std::uint64_t seed = 1;
    // both
    int retries = 0;              // resend a throttled (429) invocation up to this many times, with backoff
    bool tail = false;            // X-Amz-Log-Type: Tail, to keep each REPORT line's figures
    bool keep_responses = false;  // keep each response body (first 4 KB)
    double timeout_s = 960;       // client-side limit per invocation

    // How many invocations the load sends (open loops: the arrivals scheduled for that repetition,
    // whose seed is seed + repetition).
    long planned(int repetition = 0) const;
};

struct Warmup {
    long num = 0;
    int concurrency = 1;
    std::optional<nlohmann::json> payload;  // default: the variant's
};

// A scheduled warmer (the workshop's "Synthetic Events"): invokes `function` with
// {"target": <the variant's function>, "concurrency": c, "delay": ms} every interval during the load.
struct Warmer {
    std::string function = "warmer";
    int concurrency = 1;
    double interval_s = 300;
    int delay_ms = 100;
};

enum class StartMode {
    any,   // as it comes (the first invocation after a configuration change is cold)
    cold,  // every invocation cold: warm sandboxes are discarded before each one (or each wave)
    warm,  // warm-up invocations first, so the measured ones find warm sandboxes
};
std::string_view to_string(StartMode mode);

struct Variant {
    std::string name;
    std::string function;
    nlohmann::json payload = nlohmann::json::object();
    Load load;
    StartMode start = StartMode::any;
    std::optional<Warmup> warmup;                                   // set for start=warm unless given
    std::optional<int> memory;                                      // MB
    std::optional<std::string> architecture;                        // x86_64 or arm64
    std::optional<std::map<std::string, std::string>> environment;  // merged over the function's own
    std::optional<bool> vpc;
    std::optional<int> reserved_concurrency;
    std::optional<int> provisioned_concurrency;
    std::optional<Warmer> warmer;
    std::string profile;  // simulation profile it needs; empty: whatever the emulator runs

    // The dimensions as JSON, as stored with the run.
    nlohmann::json config() const;
    // The request body Power Tuning would send: a string that holds JSON is sent as it is.
    std::string payload_text() const;
    std::string warmup_payload_text() const;
};

struct PowerTuningAnalysis {
    Strategy strategy = Strategy::cost;
    double balanced_weight = 0.5;
    std::optional<double> discard_top_bottom;  // default per Power Tuning (0.2, or 0 with cold starts)
};

struct EmulatorSettings {
    std::string profile = "aws-2026";
    double time_scale = 0;              // 0: the profile's
    std::vector<std::string> settings;  // "key=value" profile overrides
};

struct Suite {
    std::string name;
    std::string description;
    std::filesystem::path file;                          // where it was read from (empty when built in code)
    std::filesystem::path functions_file;                // resolved functionsFile, if any
    nlohmann::json functions = nlohmann::json::array();  // inline declarations, CodeDirectory resolved
    EmulatorSettings emulator;
    int repetitions = 1;
    std::vector<Variant> variants;
    std::optional<PowerTuningAnalysis> power_tuning;
    std::string headline;   // a template (lab/headline.hpp)
    nlohmann::json source;  // the suite as written

    long planned_invocations() const;  // measured invocations over all variants and repetitions
    bool only_cold_starts() const;     // every variant forces cold starts
};

// Validates and expands a suite. `base` resolves relative paths (the suite file's directory).
Suite parse_suite(const nlohmann::json& document, const std::filesystem::path& base);
// Reads and parses a suite file; a JSON syntax error is a SuiteError at "suite".
Suite load_suite(const std::filesystem::path& file);

}  // namespace lambdalab::lab
