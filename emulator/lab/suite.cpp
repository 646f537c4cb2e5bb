#include "lab/suite.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "lab/headline.hpp"
#include "model/profile.hpp"

namespace lambdalab::lab {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The fields a variant may set; at the top of the suite they are the defaults of every variant, and
// "matrix" may list values for any of them.
const std::vector<std::string>& variant_keys() {
    static const std::vector<std::string> keys = {"function",
                                                  "payload",
                                                  "load",
                                                  "start",
                                                  "warmup",
                                                  "memory",
                                                  "architecture",
                                                  "environment",
                                                  "vpc",
                                                  "reservedConcurrency",
                                                  "provisionedConcurrency",
                                                  "warmer",
                                                  "profile"};
    return keys;
}

const std::vector<std::string>& suite_keys() {
    static const std::vector<std::string> keys = {"$schema",   "name",     "description", "functionsFile",
                                                  "functions", "emulator", "repetitions", "variants",
                                                  "matrix",    "analysis", "headline"};
    return keys;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

std::string join(const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : ", ") + item;
    return out;
}

[[noreturn]] void fail(const std::string& path, const std::string& message) {
    throw SuiteError(path, message);
}

void only_keys(const json& object, const std::string& path, const std::vector<std::string>& allowed) {
    for (const auto& [key, value] : object.items()) {
        if (!contains(allowed, key)) fail(path + "." + key, "unknown field (expected one of: " + join(allowed) + ")");
    }
}

const json& object_at(const json& value, const std::string& path) {
    if (!value.is_object()) fail(path, "must be an object");
    return value;
}

std::string string_at(const json& value, const std::string& path, bool allow_empty = false) {
    if (!value.is_string() || (!allow_empty && value.get<std::string>().empty())) {
        fail(path, allow_empty ? "must be a string" : "must be a non-empty string");
    }
    return value.get<std::string>();
}

bool bool_at(const json& value, const std::string& path) {
    if (!value.is_boolean()) fail(path, "must be true or false");
    return value.get<bool>();
}

long integer_at(const json& value, const std::string& path, long low, long high) {
    const std::string message = "must be an integer between " + std::to_string(low) + " and " + std::to_string(high);
    if (!value.is_number()) fail(path, message);
    const double number = value.get<double>();
    if (std::floor(number) != number || number < static_cast<double>(low) || number > static_cast<double>(high))
        fail(path, message);
    return static_cast<long>(number);
}

double number_at(const json& value, const std::string& path, double low, double high, bool exclusive_low = false) {
    char bounds[96];
    std::snprintf(bounds, sizeof bounds, "must be a number %s %g and at most %g",
                  exclusive_low ? "above" : "of at least", low, high);
    if (!value.is_number()) fail(path, bounds);
    const double number = value.get<double>();
    if (std::isnan(number) || number > high || number < low || (exclusive_low && number == low)) fail(path, bounds);
    return number;
}

std::string one_of(const json& value, const std::string& path, const std::vector<std::string>& choices) {
    if (!value.is_string() || !contains(choices, value.get<std::string>()))
        fail(path, "must be one of: " + join(choices));
    return value.get<std::string>();
}

bool valid_function_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
}

bool valid_variant_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0])) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+';
           });
}

Phase parse_phase(const json& value, const std::string& path) {
    object_at(value, path);
    only_keys(value, path, {"name", "duration", "arrivalRate", "rampTo", "arrivalCount", "pause"});
    Phase phase;
    if (value.contains("name")) phase.name = string_at(value["name"], path + ".name", true);
    if (value.contains("pause")) {
        if (value.contains("duration") || value.contains("arrivalRate") || value.contains("arrivalCount")) {
            fail(path + ".pause", "a pause phase has no duration, arrivalRate or arrivalCount");
        }
        phase.pause = true;
        phase.duration_s = number_at(value["pause"], path + ".pause", 0, 86400, true);
        return phase;
    }
    if (!value.contains("duration")) fail(path + ".duration", "required (seconds)");
    phase.duration_s = number_at(value["duration"], path + ".duration", 0, 86400, true);
    if (value.contains("arrivalCount")) {
        if (value.contains("arrivalRate") || value.contains("rampTo")) {
            fail(path + ".arrivalCount", "give either arrivalCount or arrivalRate (and rampTo), not both");
        }
        phase.arrival_count = integer_at(value["arrivalCount"], path + ".arrivalCount", 0, 10'000'000);
        return phase;
    }
    if (!value.contains("arrivalRate")) fail(path + ".arrivalRate", "required (arrivals per second), or arrivalCount");
    phase.arrival_rate = number_at(value["arrivalRate"], path + ".arrivalRate", 0, 100000);
    if (value.contains("rampTo")) phase.ramp_to = number_at(value["rampTo"], path + ".rampTo", 0, 100000);
    return phase;
}

Load parse_load(const json& value, const std::string& path) {
    object_at(value, path);
    only_keys(value, path,
              {"num", "concurrency", "parallel", "phases", "arrivals", "maxInFlight", "seed", "retries", "tail",
               "keepResponses", "timeout"});
    Load load;
    const bool closed = value.contains("num");
    const bool open = value.contains("phases");
    if (closed == open) fail(path, "give either num (a closed loop) or phases (an open loop like Artillery's)");
    if (closed) {
        load.kind = Load::Kind::closed;
        for (const char* key : {"arrivals", "maxInFlight", "seed"}) {
            if (value.contains(key)) fail(path + "." + key, "only for an open loop (phases)");
        }
        load.num = integer_at(value["num"], path + ".num", 1, 10'000'000);
        if (value.contains("concurrency") && value.contains("parallel")) {
            fail(path + ".parallel", "give either concurrency or parallel, not both");
        }
        if (value.contains("concurrency"))
            load.concurrency = static_cast<int>(integer_at(value["concurrency"], path + ".concurrency", 1, 1000));
        if (value.contains("parallel") && bool_at(value["parallel"], path + ".parallel")) {
            if (load.num > 1000) fail(path + ".num", "parallel sends every invocation at once: at most 1000");
            load.concurrency = static_cast<int>(load.num);
        }
    } else {
        load.kind = Load::Kind::open;
        for (const char* key : {"concurrency", "parallel"}) {
            if (value.contains(key))
                fail(path + "." + key, "only for a closed loop (num); an open loop has maxInFlight");
        }
        const json& phases = value["phases"];
        if (!phases.is_array() || phases.empty()) fail(path + ".phases", "must be a non-empty array of phases");
        for (std::size_t i = 0; i < phases.size(); ++i) {
            load.phases.push_back(parse_phase(phases[i], path + ".phases[" + std::to_string(i) + "]"));
        }
        if (value.contains("arrivals")) {
            load.arrivals = one_of(value["arrivals"], path + ".arrivals", {"uniform", "poisson"}) == "poisson"
                                ? ArrivalProcess::poisson
                                : ArrivalProcess::uniform;
        }
        if (value.contains("maxInFlight"))
            load.max_in_flight = static_cast<int>(integer_at(value["maxInFlight"], path + ".maxInFlight", 1, 10000));
        if (value.contains("seed"))
            load.seed = static_cast<std::uint64_t>(integer_at(value["seed"], path + ".seed", 0, 1L << 53));
        double expected = 0;
        for (const auto& phase : load.phases) {
            expected += phase.arrival_count ? static_cast<double>(*phase.arrival_count) : expected_arrivals(phase);
        }
        if (expected > 10'000'000) fail(path + ".phases", "more than 10,000,000 arrivals");
    }
    if (value.contains("retries"))
        load.retries = static_cast<int>(integer_at(value["retries"], path + ".retries", 0, 50));
    if (value.contains("tail")) load.tail = bool_at(value["tail"], path + ".tail");
    if (value.contains("keepResponses")) load.keep_responses = bool_at(value["keepResponses"], path + ".keepResponses");
    if (value.contains("timeout")) load.timeout_s = number_at(value["timeout"], path + ".timeout", 0, 3600, true);
    return load;
}

Warmup parse_warmup(const json& value, const std::string& path) {
    Warmup warmup;
    if (value.is_number()) {
        warmup.num = integer_at(value, path, 0, 100000);
        return warmup;
    }
    if (!value.is_object()) fail(path, "must be a number of invocations or an object {num, concurrency, payload}");
    only_keys(value, path, {"num", "concurrency", "payload"});
    if (!value.contains("num")) fail(path + ".num", "required");
    warmup.num = integer_at(value["num"], path + ".num", 0, 100000);
    if (value.contains("concurrency"))
        warmup.concurrency = static_cast<int>(integer_at(value["concurrency"], path + ".concurrency", 1, 1000));
    if (value.contains("payload")) warmup.payload = value["payload"];
    return warmup;
}

std::optional<Warmer> parse_warmer(const json& value, const std::string& path) {
    if (value.is_boolean()) return value.get<bool>() ? std::optional<Warmer>(Warmer{}) : std::nullopt;
    if (!value.is_object()) fail(path, "must be true, false or an object {function, concurrency, interval, delay}");
    only_keys(value, path, {"function", "concurrency", "interval", "delay"});
    Warmer warmer;
    if (value.contains("function")) {
        warmer.function = string_at(value["function"], path + ".function");
        if (!valid_function_name(warmer.function)) fail(path + ".function", "not a valid function name");
    }
    if (value.contains("concurrency"))
        warmer.concurrency = static_cast<int>(integer_at(value["concurrency"], path + ".concurrency", 1, 200));
    if (value.contains("interval"))
        warmer.interval_s = number_at(value["interval"], path + ".interval", 0, 86400, true);
    if (value.contains("delay"))
        warmer.delay_ms = static_cast<int>(integer_at(value["delay"], path + ".delay", 0, 60000));
    return warmer;
}

// A variant being assembled from the suite's defaults, a variant entry and matrix values: each field
// is validated where it is written, so errors name that place.
struct Draft {
    Variant variant;
    bool has_load = false;
    bool has_warmup = false;
    bool has_start = false;
};

void apply_field(Draft& d, const std::string& key, const json& value, const std::string& path) {
    Variant& v = d.variant;
    if (key == "function") {
        v.function = string_at(value, path);
        if (!valid_function_name(v.function)) fail(path, "not a valid function name ([a-zA-Z0-9-_]+, at most 64)");
    } else if (key == "payload") {
        v.payload = value;
    } else if (key == "load") {
        v.load = parse_load(value, path);
        d.has_load = true;
    } else if (key == "start") {
        const std::string mode = one_of(value, path, {"any", "cold", "warm"});
        v.start = mode == "cold" ? StartMode::cold : mode == "warm" ? StartMode::warm : StartMode::any;
        d.has_start = true;
    } else if (key == "warmup") {
        v.warmup = parse_warmup(value, path);
        d.has_warmup = true;
    } else if (key == "memory") {
        v.memory = static_cast<int>(integer_at(value, path, 128, 10240));
    } else if (key == "architecture") {
        v.architecture = one_of(value, path, {"x86_64", "arm64"});
    } else if (key == "environment") {
        object_at(value, path);
        std::map<std::string, std::string> variables;
        for (const auto& [name, text] : value.items()) {
            // Lambda's pattern for variable names: [a-zA-Z]([a-zA-Z0-9_])+ (two characters at least).
            if (name.size() < 2 || !std::isalpha(static_cast<unsigned char>(name[0])) ||
                !std::all_of(name.begin(), name.end(),
                             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
                fail(path + "." + name,
                     "not a valid environment variable name (Lambda's pattern [a-zA-Z]([a-zA-Z0-9_])+)");
            }
            variables[name] = string_at(text, path + "." + name, true);
        }
        v.environment = std::move(variables);
    } else if (key == "vpc") {
        v.vpc = bool_at(value, path);
    } else if (key == "reservedConcurrency") {
        v.reserved_concurrency = static_cast<int>(integer_at(value, path, 0, 1000));
    } else if (key == "provisionedConcurrency") {
        v.provisioned_concurrency = static_cast<int>(integer_at(value, path, 0, 1000));
        if (*v.provisioned_concurrency == 0) v.provisioned_concurrency.reset();
    } else if (key == "warmer") {
        v.warmer = parse_warmer(value, path);
    } else if (key == "profile") {
        v.profile = one_of(value, path, model::bundled_profile_names());
    }
}

// The part of a variant's name a matrix value contributes.
std::string name_part(const std::string& key, const json& value, std::size_t index) {
    if (key == "payload" || key == "load" || key == "warmup" || key == "warmer" || key == "environment") {
        return key + std::to_string(index + 1);
    }
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) return value.dump();
    if (value.is_boolean()) return value.get<bool>() ? key : "no-" + key;
    return key + std::to_string(index + 1);
}

// Checks across fields, once a variant is complete.
void check_variant(Variant& v, const std::string& path) {
    if (v.function.empty()) fail(path + ".function", "required (in the variant or at the top of the suite)");
    if (v.start == StartMode::cold && v.load.kind == Load::Kind::open) {
        fail(path + ".start",
             "cold starts can be forced only with a closed loop (num); an open loop's arrivals cannot wait");
    }
    if (v.start == StartMode::cold && v.provisioned_concurrency) {
        fail(path + ".start", "provisioned concurrency keeps sandboxes initialized: its invocations cannot be cold");
    }
    if (v.start == StartMode::cold && v.warmer)
        fail(path + ".start", "a warmer and forced cold starts contradict each other");
    if (v.start == StartMode::warm && !v.warmup) {
        Warmup warmup;
        warmup.num = v.load.kind == Load::Kind::closed ? v.load.concurrency : 1;
        warmup.concurrency = static_cast<int>(warmup.num);
        v.warmup = warmup;
    }
    if (v.start == StartMode::cold && v.warmup && v.warmup->num > 0) {
        fail(path + ".warmup", "a warm-up is pointless when every invocation is forced cold");
    }
}

}  // namespace

std::string_view to_string(StartMode mode) {
    switch (mode) {
        case StartMode::any:
            return "any";
        case StartMode::cold:
            return "cold";
        case StartMode::warm:
            return "warm";
    }
    return "any";
}

long Load::planned(int repetition) const {
    if (kind == Kind::closed) return num;
    return static_cast<long>(arrival_schedule(phases, arrivals, seed + static_cast<std::uint64_t>(repetition)).size());
}

json Variant::config() const {
    json out = {{"function", function}, {"payload", payload}, {"start", std::string(to_string(start))}};
    json l = json::object();
    if (load.kind == Load::Kind::closed) {
        l = {{"num", load.num}, {"concurrency", load.concurrency}};
    } else {
        json phases = json::array();
        for (const auto& p : load.phases) {
            json phase = {{"duration", p.duration_s}};
            if (!p.name.empty()) phase["name"] = p.name;
            if (p.pause)
                phase = {{"pause", p.duration_s}};
            else if (p.arrival_count)
                phase["arrivalCount"] = *p.arrival_count;
            else {
                phase["arrivalRate"] = p.arrival_rate;
                if (p.ramp_to) phase["rampTo"] = *p.ramp_to;
            }
            phases.push_back(phase);
        }
        l = {{"phases", phases},
             {"arrivals", load.arrivals == ArrivalProcess::poisson ? "poisson" : "uniform"},
             {"maxInFlight", load.max_in_flight},
             {"seed", load.seed}};
    }
    if (load.retries) l["retries"] = load.retries;
    if (load.tail) l["tail"] = true;
    if (load.keep_responses) l["keepResponses"] = true;
    l["planned"] = load.planned(0);
    out["load"] = l;
    if (warmup) {
        out["warmup"] = {{"num", warmup->num}, {"concurrency", warmup->concurrency}};
        if (warmup->payload) out["warmup"]["payload"] = *warmup->payload;
    }
    if (memory) out["memory"] = *memory;
    if (architecture) out["architecture"] = *architecture;
    if (environment) out["environment"] = *environment;
    if (vpc) out["vpc"] = *vpc;
    if (reserved_concurrency) out["reservedConcurrency"] = *reserved_concurrency;
    if (provisioned_concurrency) out["provisionedConcurrency"] = *provisioned_concurrency;
    if (warmer) {
        out["warmer"] = {{"function", warmer->function},
                         {"concurrency", warmer->concurrency},
                         {"interval", warmer->interval_s},
                         {"delay", warmer->delay_ms}};
    }
    if (!profile.empty()) out["profile"] = profile;
    return out;
}

namespace {
// Power Tuning's convertPayload: a string that parses as JSON is sent as it is; anything else is
// serialized.
std::string payload_body(const json& payload) {
    if (payload.is_string()) {
        const std::string& text = payload.get_ref<const std::string&>();
        if (!json::parse(text, nullptr, false).is_discarded()) return text;
    }
    return payload.dump();
}
}  // namespace

std::string Variant::payload_text() const {
    return payload_body(payload);
}

std::string Variant::warmup_payload_text() const {
    return warmup && warmup->payload ? payload_body(*warmup->payload) : payload_text();
}

long Suite::planned_invocations() const {
    long total = 0;
    for (int repetition = 0; repetition < repetitions; ++repetition) {
        for (const auto& v : variants) total += v.load.planned(repetition);
    }
    return total;
}

bool Suite::only_cold_starts() const {
    return !variants.empty() &&
           std::all_of(variants.begin(), variants.end(), [](const Variant& v) { return v.start == StartMode::cold; });
}

Suite parse_suite(const json& document, const fs::path& base) {
    const std::string root = "suite";
    object_at(document, root);
    std::vector<std::string> allowed = suite_keys();
    allowed.insert(allowed.end(), variant_keys().begin(), variant_keys().end());
    only_keys(document, root, allowed);

    Suite suite;
    suite.source = document;
    if (!document.contains("name")) fail(root + ".name", "required");
    suite.name = string_at(document["name"], root + ".name");
    if (document.contains("description"))
        suite.description = string_at(document["description"], root + ".description", true);

    if (document.contains("functionsFile")) {
        const fs::path file = string_at(document["functionsFile"], root + ".functionsFile");
        suite.functions_file = file.is_absolute() ? file : (base / file).lexically_normal();
    }
    if (document.contains("functions")) {
        const json& functions = document["functions"];
        if (!functions.is_array()) fail(root + ".functions", "must be an array of function declarations");
        for (std::size_t i = 0; i < functions.size(); ++i) {
            const std::string path = root + ".functions[" + std::to_string(i) + "]";
            json entry = object_at(functions[i], path);
            if (!entry.contains("FunctionName")) fail(path + ".FunctionName", "required");
            if (!entry.contains("CodeDirectory")) fail(path + ".CodeDirectory", "required (a directory with the code)");
            const std::string dir = string_at(entry["CodeDirectory"], path + ".CodeDirectory");
            // ${LAMBDALAB_BUILD_DIR} is expanded by the emulator; other relative paths are the suite's.
            if (!dir.starts_with("${") && !fs::path(dir).is_absolute())
                entry["CodeDirectory"] = (base / dir).lexically_normal().string();
            suite.functions.push_back(entry);
        }
    }
    if (document.contains("emulator")) {
        const std::string path = root + ".emulator";
        const json& e = object_at(document["emulator"], path);
        only_keys(e, path, {"profile", "timeScale", "settings"});
        if (e.contains("profile"))
            suite.emulator.profile = one_of(e["profile"], path + ".profile", model::bundled_profile_names());
        if (e.contains("timeScale"))
            suite.emulator.time_scale = number_at(e["timeScale"], path + ".timeScale", 0, 1e6, true);
        if (e.contains("settings")) {
            const json& s = e["settings"];
            if (s.is_object()) {
                for (const auto& [key, value] : s.items()) {
                    if (value.is_string())
                        suite.emulator.settings.push_back(key + "=" + value.get<std::string>());
                    else if (value.is_number() || value.is_boolean())
                        suite.emulator.settings.push_back(key + "=" + value.dump());
                    else
                        fail(path + ".settings." + key, "must be a number, a string or true/false");
                }
            } else if (s.is_array()) {
                for (std::size_t i = 0; i < s.size(); ++i) {
                    const std::string text = string_at(s[i], path + ".settings[" + std::to_string(i) + "]");
                    if (text.find('=') == std::string::npos)
                        fail(path + ".settings[" + std::to_string(i) + "]", "must be KEY=VALUE");
                    suite.emulator.settings.push_back(text);
                }
            } else {
                fail(path + ".settings", "must be an object {\"key\": value} or an array of \"key=value\"");
            }
        }
    }
    if (document.contains("repetitions"))
        suite.repetitions = static_cast<int>(integer_at(document["repetitions"], root + ".repetitions", 1, 1000));

    // Defaults: the variant fields at the top.
    Draft defaults;
    for (const auto& key : variant_keys()) {
        if (document.contains(key)) apply_field(defaults, key, document[key], root + "." + key);
    }

    // Matrix: every combination of the listed values.
    std::vector<std::vector<std::pair<std::string, std::size_t>>> combinations{{}};
    std::vector<std::string> matrix_keys;
    if (document.contains("matrix")) {
        const std::string path = root + ".matrix";
        const json& matrix = object_at(document["matrix"], path);
        if (matrix.empty()) fail(path, "must list at least one field");
        for (const auto& [key, values] : matrix.items()) {
            if (!contains(variant_keys(), key))
                fail(path + "." + key, "not a variant field (one of: " + join(variant_keys()) + ")");
            if (!values.is_array() || values.empty()) fail(path + "." + key, "must be a non-empty array of values");
            Draft probe;
            for (std::size_t i = 0; i < values.size(); ++i)
                apply_field(probe, key, values[i], path + "." + key + "[" + std::to_string(i) + "]");
            matrix_keys.push_back(key);
            std::vector<std::vector<std::pair<std::string, std::size_t>>> next;
            for (const auto& combination : combinations) {
                for (std::size_t i = 0; i < values.size(); ++i) {
                    auto extended = combination;
                    extended.emplace_back(key, i);
                    next.push_back(std::move(extended));
                }
            }
            combinations = std::move(next);
            if (combinations.size() > 10000) fail(path, "more than 10,000 combinations");
        }
    }

    json entries = json::array({json::object()});
    std::string entries_path = root;
    if (document.contains("variants")) {
        entries = document["variants"];
        if (!entries.is_array() || entries.empty()) fail(root + ".variants", "must be a non-empty array of variants");
        entries_path = root + ".variants";
    }

    std::set<std::string> names;
    for (std::size_t e = 0; e < entries.size(); ++e) {
        const bool listed = document.contains("variants");
        const std::string path = listed ? entries_path + "[" + std::to_string(e) + "]" : root;
        const json& entry = listed ? object_at(entries[e], path) : entries[e];
        if (listed) {
            std::vector<std::string> keys = variant_keys();
            keys.push_back("name");
            only_keys(entry, path, keys);
        }
        for (const auto& combination : combinations) {
            Draft draft = defaults;
            std::vector<std::string> name_parts;
            for (const auto& key : variant_keys()) {
                if (entry.contains(key)) {
                    apply_field(draft, key, entry[key], path + "." + key);
                    if (!entry.contains("name")) name_parts.push_back(name_part(key, entry[key], e));
                }
            }
            std::string name = entry.contains("name") ? string_at(entry["name"], path + ".name") : "";
            for (const auto& [key, index] : combination) {
                const json& value = document["matrix"][key][index];
                apply_field(draft, key, value, root + ".matrix." + key + "[" + std::to_string(index) + "]");
                name_parts.push_back(name_part(key, value, index));
            }
            for (const auto& part : name_parts) name += (name.empty() ? "" : "-") + part;
            if (name.empty()) name = listed ? "variant" + std::to_string(e + 1) : suite.name;
            // A name from values may hold characters a name may not: keep what is allowed.
            if (!entry.contains("name")) {
                std::string cleaned;
                for (const char c : name)
                    cleaned +=
                        (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '+')
                            ? c
                            : '_';
                name = cleaned.substr(0, 64);
            }
            if (!valid_variant_name(name)) {
                fail(path + ".name", "'" + name +
                                         "' is not a valid variant name (letters, digits, - _ . +; at most 64; "
                                         "starting with a letter or digit)");
            }
            if (!names.insert(name).second) fail(path + ".name", "duplicate variant name '" + name + "'");
            draft.variant.name = name;
            check_variant(draft.variant, path);
            suite.variants.push_back(std::move(draft.variant));
        }
    }

    if (document.contains("analysis")) {
        const std::string path = root + ".analysis";
        const json& analysis = object_at(document["analysis"], path);
        only_keys(analysis, path, {"powerTuning"});
        if (analysis.contains("powerTuning")) {
            const std::string pt_path = path + ".powerTuning";
            const json& pt = object_at(analysis["powerTuning"], pt_path);
            only_keys(pt, pt_path, {"strategy", "balancedWeight", "discardTopBottom"});
            PowerTuningAnalysis out;
            if (pt.contains("strategy"))
                out.strategy =
                    *parse_strategy(one_of(pt["strategy"], pt_path + ".strategy", {"cost", "speed", "balanced"}));
            if (pt.contains("balancedWeight"))
                out.balanced_weight = number_at(pt["balancedWeight"], pt_path + ".balancedWeight", 0, 1);
            if (pt.contains("discardTopBottom"))
                out.discard_top_bottom = number_at(pt["discardTopBottom"], pt_path + ".discardTopBottom", 0, 0.4);
            std::map<std::string, std::set<int>> powers;
            for (std::size_t i = 0; i < suite.variants.size(); ++i) {
                Variant& v = suite.variants[i];
                const std::string where = pt_path + " (variant '" + v.name + "')";
                if (!v.memory) fail(where, "every variant of a power tuning needs a memory size");
                if (v.load.kind != Load::Kind::closed)
                    fail(where, "power tuning runs num invocations (a closed loop), not phases");
                if (v.load.num < 5) fail(where, "power tuning needs num >= 5 (as its Initializer requires)");
                if (!powers[v.function].insert(*v.memory).second) {
                    fail(where, "two variants tune " + v.function + " at " + std::to_string(*v.memory) + " MB");
                }
                v.load.tail = true;  // the statistics come from each REPORT line
            }
            suite.power_tuning = out;
        }
    }

    if (document.contains("headline")) {
        suite.headline = string_at(document["headline"], root + ".headline", true);
        std::vector<std::string> variant_names;
        std::set<std::string> tuned;
        for (const auto& v : suite.variants) {
            variant_names.push_back(v.name);
            if (suite.power_tuning) tuned.insert(v.function);
        }
        try {
            check_headline(suite.headline, variant_names, {tuned.begin(), tuned.end()});
        } catch (const std::invalid_argument& e) {
            fail(root + ".headline", e.what());
        }
    }
    return suite;
}

Suite load_suite(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw SuiteError(file.string(), "cannot read the suite file");
    json document;
    try {
        document = json::parse(in, nullptr, true, /*ignore_comments=*/true);
    } catch (const json::parse_error& e) {
        throw SuiteError(file.string(), std::string("not valid JSON: ") + e.what());
    }
    Suite suite = parse_suite(document, fs::absolute(file).parent_path());
    suite.file = fs::absolute(file);
    return suite;
}

}  // namespace lambdalab::lab
