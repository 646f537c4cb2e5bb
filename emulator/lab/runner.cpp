#include "lab/runner.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <set>

#include "common/base64.hpp"
#include "common/batch_worker.hpp"
#include "lab/arrivals.hpp"
#include "lab/headline.hpp"
#include "lab/json_path.hpp"
#include "lab/lambda_client.hpp"
#include "lab/load_engine.hpp"
#include "lab/power_tuning.hpp"
#include "lab/progress.hpp"
#include "net/http_client.hpp"

namespace lambdalab::lab {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr const char* kAlias = "lambdalab-bench";
constexpr std::size_t kMaxKeptResponse = 4096;
constexpr std::size_t kUploadBatch = 5000;

std::int64_t epoch_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A variant that cannot run here; the message says why.
struct Skip {
    std::string message;
};

// Client samples go to the lab API from a thread of their own, in batches, so posting them never
// slows the load down.
class Uploader {
  public:
    explicit Uploader(std::int64_t run)
        : run_(run),
          worker_({.interval = std::chrono::milliseconds(500), .wake_backlog = kUploadBatch, .max_batch = kUploadBatch},
                  [this](std::vector<json> batch) { post(std::move(batch)); }) {}

    void set_endpoint(const std::string& endpoint) {
        flush();
        std::lock_guard lock(mutex_);
        endpoint_ = endpoint;
    }

    void add(json sample) { worker_.add(std::move(sample)); }

    // Blocks until everything added so far was posted (or failed).
    void flush() { worker_.flush(); }

    std::string error() {
        std::lock_guard lock(mutex_);
        return error_;
    }

  private:
    // On the worker's thread.
    void post(std::vector<json> samples) {
        std::string endpoint;
        {
            std::lock_guard lock(mutex_);
            endpoint = endpoint_;
        }
        try {
            if (!client_ || client_->endpoint() != endpoint) client_ = std::make_unique<LambdaClient>(endpoint);
            client_->add_samples(run_, json(std::move(samples)));
        } catch (const std::exception& e) {
            client_.reset();
            std::lock_guard lock(mutex_);
            if (error_.empty()) error_ = e.what();
        }
    }

    std::int64_t run_;
    std::mutex mutex_;  // guards endpoint_ and error_
    std::string endpoint_;
    std::string error_;
    std::unique_ptr<LambdaClient> client_;  // used by the worker's thread only
    BatchWorker<json> worker_;              // last: its thread uses the members above
};

struct Original {
    json config;
    std::optional<int> reserved;
    bool exists = true;
    std::string missing;  // why not, when it does not exist
};

struct VariantState {
    std::string status = "pending";
    std::string message;
    std::vector<ReportFigures> figures;  // REPORT lines of measured invocations (tail loads)
    bool started = false;
    long completed = 0;            // measured invocations completed
    double load_s = 0;             // time inside its measured loads
    json result = json::object();  // stored as the variant's result
};

std::string region_of(const json& config) {
    const std::string arn = config.value("FunctionArn", "");
    std::vector<std::string> parts;
    std::size_t begin = 0;
    for (;;) {
        const auto end = arn.find(':', begin);
        parts.push_back(arn.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
        if (end == std::string::npos) break;
        begin = end + 1;
    }
    return parts.size() >= 4 && !parts[3].empty() ? parts[3] : "us-east-1";
}

std::string architecture_of(const json& config) {
    if (config.contains("Architectures") && config["Architectures"].is_array() && !config["Architectures"].empty()) {
        return config["Architectures"][0].get<std::string>();
    }
    return "x86_64";
}

json variables_of(const json& config) {
    const json* variables = find_at(config, {"Environment", "Variables"});
    return variables ? *variables : json::object();
}

bool has_vpc(const json& config) {
    return config.contains("VpcConfig") && config["VpcConfig"].is_object() &&
           !config["VpcConfig"].value("SubnetIds", json::array()).empty();
}

json vpc_config(bool on) {
    if (!on) return {{"SubnetIds", json::array()}, {"SecurityGroupIds", json::array()}};
    return {{"SubnetIds", {"subnet-0a1b2c3d4e5f60001"}}, {"SecurityGroupIds", {"sg-0a1b2c3d4e5f60001"}}};
}

class Runner {
  public:
    Runner(const Suite& suite, RunnerOptions& options) : suite_(suite), options_(options) {}

    RunResult run();

  private:
    void message(const std::string& text) {
        if (options_.progress) options_.progress->message(text);
    }
    bool halted() const { return halt_.load() || (options_.interrupted && options_.interrupted->load()); }
    void connect(const std::string& endpoint);
    void ensure_profile(const Variant& v);
    Original& original(const std::string& function);
    void configure(const Variant& v);
    std::string setup_provisioned(const Variant& v, std::string& version);
    void teardown_provisioned(const Variant& v, const std::string& version);
    void force_cold(const std::string& function);
    void warm_up(const Variant& v);
    void measure(const Variant& v, int repetition, const std::string& qualifier);
    void run_job(Job& job, bool measured);
    void on_result(const Variant& v, int repetition, long seq, const InvocationResult& r,
                   std::optional<double> scheduled, std::optional<double> late);
    void restore();
    void wait_for_rows();
    json analyze();
    void set_status(const std::string& variant, const std::string& status, const std::string& text = "");

    const Suite& suite_;
    RunnerOptions& options_;
    std::string endpoint_;
    std::string profile_;
    std::unique_ptr<LambdaClient> client_;
    std::unique_ptr<LoadEngine> engine_;
    std::unique_ptr<Uploader> uploader_;
    std::int64_t run_id_ = 0;
    std::string run_key_;
    std::map<std::string, Original> originals_;
    std::map<std::string, VariantState> states_;
    std::atomic<bool> halt_{false};
    std::string fatal_;
    long answered_ = 0;  // tagged requests the emulator answered (each has a row)
    long done_ = 0;
    long throttles_ = 0;
    long errors_ = 0;
    long in_flight_ = 0;
    long total_ = 0;
    int cold_counter_ = 0;
    std::string label_;
    std::string current_variant_;
    SteadyClock::time_point started_;
    double measuring_s_ = 0;
};

void Runner::connect(const std::string& endpoint) {
    endpoint_ = endpoint;
    client_ = std::make_unique<LambdaClient>(endpoint);
    const net::Url url = net::parse_url(endpoint);
    engine_ = std::make_unique<LoadEngine>(url.host, url.port, url.path_prefix);
    const auto info = client_->lab_info();
    if (!info) throw std::runtime_error("the emulator at " + endpoint + " has no lab API (/api/lab): is it lambdalab?");
    profile_ = info->value("profile", "");
    if (uploader_) uploader_->set_endpoint(endpoint);
}

void Runner::ensure_profile(const Variant& v) {
    if (v.profile.empty() || v.profile == profile_) return;
    if (!options_.use_profile) {
        throw Skip{"needs the " + v.profile + " profile; the emulator at " + endpoint_ + " runs " + profile_ +
                   " (restart it with --profile " + v.profile + ", or run the suite in-process)"};
    }
    message("restarting the in-process emulator with profile " + v.profile);
    if (uploader_) uploader_->flush();
    connect(options_.use_profile(v.profile));
}

Original& Runner::original(const std::string& function) {
    auto it = originals_.find(function);
    if (it != originals_.end()) return it->second;
    Original o;
    try {
        o.config = client_->get_configuration(function);
        o.reserved = client_->get_reserved_concurrency(function);
    } catch (const CallError& e) {
        if (e.status() != 404) throw;
        o.exists = false;
        o.missing = "function " + function + " does not exist at " + endpoint_ +
                    " (declare it: a functionsFile or functions in the suite, or serve --functions)";
    }
    return originals_.emplace(function, std::move(o)).first->second;
}

void Runner::configure(const Variant& v) {
    Original& o = original(v.function);
    if (!o.exists) throw Skip{o.missing};
    const json current = client_->get_configuration(v.function);
    json changes = json::object();
    const int memory = v.memory.value_or(o.config.value("MemorySize", 128));
    if (current.value("MemorySize", 0) != memory) changes["MemorySize"] = memory;
    const std::string architecture = v.architecture.value_or(architecture_of(o.config));
    if (architecture_of(current) != architecture) changes["Architectures"] = json::array({architecture});
    json variables = variables_of(o.config);
    if (v.environment) {
        for (const auto& [key, value] : *v.environment) variables[key] = value;
    }
    if (variables_of(current) != variables) changes["Environment"] = {{"Variables", variables}};
    const bool vpc = v.vpc.value_or(has_vpc(o.config));
    if (has_vpc(current) != vpc) {
        changes["VpcConfig"] = !vpc ? vpc_config(false) : has_vpc(o.config) ? o.config["VpcConfig"] : vpc_config(true);
    }
    if (!changes.empty()) {
        try {
            client_->update_configuration(v.function, changes);
            client_->wait_until_updated(v.function, std::chrono::minutes(15), &halt_);
        } catch (const CallError& e) {
            throw Skip{"the emulator refused UpdateFunctionConfiguration " + changes.dump() + ": " + e.what()};
        }
    }
    const std::optional<int> reserved = v.reserved_concurrency ? v.reserved_concurrency : o.reserved;
    if (client_->get_reserved_concurrency(v.function) != reserved) {
        try {
            if (reserved)
                client_->put_reserved_concurrency(v.function, *reserved);
            else
                client_->delete_reserved_concurrency(v.function);
        } catch (const CallError& e) {
            throw Skip{std::string("PutFunctionConcurrency failed: ") + e.what()};
        }
    }
}

std::string Runner::setup_provisioned(const Variant& v, std::string& version) {
    try {
        const json published = client_->publish_version(v.function, "lambdalab run " + run_key_ + " variant " + v.name);
        version = published.value("Version", "");
        if (version.empty() || version == "$LATEST") throw Skip{"PublishVersion returned no version"};
        client_->set_alias(v.function, kAlias, version);
        client_->put_provisioned(v.function, kAlias, *v.provisioned_concurrency);
    } catch (const CallError& e) {
        throw Skip{std::string(
                       "provisioned concurrency needs PublishVersion, an alias and PutProvisionedConcurrencyConfig; ") +
                   "this emulator answered: " + e.what()};
    }
    const auto deadline = SteadyClock::now() + std::chrono::minutes(15);
    for (;;) {
        const json status = client_->get_provisioned(v.function, kAlias);
        const std::string state = status.value("Status", "");
        if (state == "READY") break;
        if (state == "FAILED") throw Skip{"provisioned concurrency FAILED: " + status.value("StatusReason", "")};
        if (halted()) throw std::runtime_error("interrupted while provisioning");
        if (SteadyClock::now() > deadline) throw Skip{"provisioned concurrency not READY after 15 minutes"};
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return kAlias;
}

void Runner::teardown_provisioned(const Variant& v, const std::string& version) {
    // As Power Tuning's cleaner: missing pieces are fine.
    for (const auto& step : std::vector<std::function<void()>>{[&] { client_->delete_provisioned(v.function, kAlias); },
                                                               [&] { client_->delete_alias(v.function, kAlias); },
                                                               [&] {
                                                                   if (!version.empty())
                                                                       client_->delete_version(v.function, version);
                                                               }}) {
        try {
            step();
        } catch (const CallError&) {
        }
    }
}

void Runner::force_cold(const std::string& function) {
    // A configuration change discards the warm sandboxes, on Lambda as in the emulator; Power Tuning's
    // onlyColdStarts gets the same effect by publishing a version per invocation.
    std::string description = original(function).config.value("Description", "");
    description = description.substr(0, 200) + " [lambdalab cold start " + std::to_string(++cold_counter_) + "]";
    const json answer = client_->update_configuration(function, {{"Description", description}});
    if (answer.value("State", "Active") == "Pending" ||
        answer.value("LastUpdateStatus", "Successful") == "InProgress") {
        client_->wait_until_updated(function, std::chrono::minutes(15), &halt_);
    }
}

void Runner::run_job(Job& job, bool measured) {
    const auto start = SteadyClock::now();
    const auto counters = engine_->run(job, halt_, [&](const JobCounters& c) {
        if (options_.interrupted && options_.interrupted->load()) halt_ = true;
        in_flight_ = measured ? c.in_flight : 0;
        if (options_.progress && measured) {
            ProgressState state;
            state.label = label_;
            state.done = done_;
            state.total = total_;
            state.throttles = throttles_;
            state.errors = errors_;
            state.in_flight = in_flight_;
            state.elapsed_s = std::chrono::duration<double>(SteadyClock::now() - started_).count();
            options_.progress->update(state);
        }
    });
    if (measured) {
        const double seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
        measuring_s_ += seconds;
        states_[current_variant_].load_s += seconds;
    }
    if (counters.stopped) halt_ = true;
}

void Runner::warm_up(const Variant& v) {
    if (!v.warmup || v.warmup->num <= 0) return;
    Job job;
    job.num = v.warmup->num;
    job.concurrency = v.warmup->concurrency;
    job.timeout_s = v.load.timeout_s;
    const std::string body = v.warmup_payload_text();
    job.make = [&](long) { return InvocationSpec{v.function, "", body, run_key_, v.name + "/warmup", false}; };
    job.on_result = [&](long, const InvocationResult& r, std::optional<double>, std::optional<double>) {
        answered_ += r.http_status ? r.attempts : r.attempts - 1;
    };
    run_job(job, false);
}

void Runner::on_result(const Variant& v, int repetition, long seq, const InvocationResult& r,
                       std::optional<double> scheduled, std::optional<double> late) {
    answered_ += r.http_status ? r.attempts : r.attempts - 1;
    ++done_;
    ++states_[v.name].completed;
    const std::string outcome = r.outcome();
    std::string error_type = r.error_type;
    if (outcome == "throttled") ++throttles_;
    if (outcome == "error" || outcome == "rejected" || outcome == "network") ++errors_;
    if (outcome == "error") {
        const json body = json::parse(r.body, nullptr, false);
        if (!body.is_discarded() && body.is_object()) error_type = body.value("errorType", "");
    }
    if (outcome == "network") error_type = r.network_error;
    json sample = {{"variant", v.name},          {"repetition", repetition}, {"seq", seq},
                   {"sent_at_ms", r.sent_at_ms}, {"client_ms", r.client_ms}, {"attempts", r.attempts},
                   {"outcome", outcome}};
    if (!r.request_id.empty()) sample["request_id"] = r.request_id;
    if (r.http_status) sample["http_status"] = r.http_status;
    if (!error_type.empty()) sample["error_type"] = error_type;
    if (scheduled) sample["scheduled_ms"] = *scheduled;
    if (late) sample["late_ms"] = *late;
    if (!r.log_result.empty()) {
        const auto log = base64_decode(r.log_result);
        const ReportFigures figures = parse_report(log.value_or(""));
        if (figures.found) {
            sample["report_duration_ms"] = figures.duration_ms;
            sample["report_billed_ms"] = figures.billed_duration_ms;
            if (figures.init_duration_ms > 0) sample["report_init_ms"] = figures.init_duration_ms;
            const auto& allowed = options_.allowed_exceptions;
            if (outcome == "success" ||
                (outcome == "error" && std::find(allowed.begin(), allowed.end(), error_type) != allowed.end())) {
                states_[v.name].figures.push_back(figures);
            }
        }
    }
    if (v.load.keep_responses && !r.body.empty()) sample["response"] = r.body.substr(0, kMaxKeptResponse);
    uploader_->add(std::move(sample));

    if (outcome == "error" && options_.stop_on_function_error && fatal_.empty()) {
        const auto& allowed = options_.allowed_exceptions;
        if (std::find(allowed.begin(), allowed.end(), error_type) == allowed.end()) {
            fatal_ = std::string("Invocation error (running ") +
                     (v.load.concurrency > 1 ? "in parallel" : "in series") + "): " + r.body.substr(0, 1000) +
                     " with payload " + v.payload_text();
            halt_ = true;
        }
    }
}

void Runner::measure(const Variant& v, int repetition, const std::string& qualifier) {
    const std::string body = v.payload_text();
    const bool tail = v.load.tail;
    long seq_base = 0;
    Job job;
    job.retries = v.load.retries;
    job.timeout_s = v.load.timeout_s;
    job.keep_body = v.load.keep_responses;
    job.make = [&](long index) {
        (void)index;
        return InvocationSpec{v.function, qualifier, body, run_key_, v.name, tail};
    };
    job.on_result = [&](long index, const InvocationResult& r, std::optional<double> scheduled,
                        std::optional<double> late) { on_result(v, repetition, seq_base + index, r, scheduled, late); };
    if (v.warmer) {
        const Original& w = original(v.warmer->function);
        if (!w.exists) throw Skip{"the warmer: " + w.missing};
        job.periodic = InvocationSpec{
            v.warmer->function,
            "",
            json{{"target", v.function}, {"concurrency", v.warmer->concurrency}, {"delay", v.warmer->delay_ms}}.dump(),
            run_key_,
            v.name + "/warmer",
            false};
        job.periodic_interval_s = v.warmer->interval_s;
        job.on_periodic = [&](const InvocationResult& r) { answered_ += r.http_status ? 1 : 0; };
    }
    if (v.load.kind == Load::Kind::open) {
        job.schedule_ms =
            arrival_schedule(v.load.phases, v.load.arrivals, v.load.seed + static_cast<std::uint64_t>(repetition));
        job.max_in_flight = v.load.max_in_flight;
        run_job(job, true);
        return;
    }
    if (v.start != StartMode::cold) {
        job.num = v.load.num;
        job.concurrency = v.load.concurrency;
        run_job(job, true);
        return;
    }
    // Forced cold starts: discard the warm sandboxes before each wave of `concurrency` invocations.
    for (long sent = 0; sent < v.load.num && !halted(); sent += v.load.concurrency) {
        force_cold(v.function);
        seq_base = sent;
        job.num = std::min<long>(v.load.concurrency, v.load.num - sent);
        job.concurrency = v.load.concurrency;
        run_job(job, true);
    }
}

void Runner::set_status(const std::string& variant, const std::string& status, const std::string& text) {
    VariantState& state = states_[variant];
    state.status = status;
    if (!text.empty()) state.message = text;
    json fields = {{"status", status}};
    if (!text.empty()) fields["message"] = text;
    if (status == "running" && !state.started) {
        state.started = true;
        fields["startedAtMs"] = epoch_ms();
    }
    if (status != "running" && status != "pending") fields["endedAtMs"] = epoch_ms();
    try {
        client_->update_variant(run_id_, variant, fields);
    } catch (const std::exception& e) {
        message(std::string("could not update variant ") + variant + ": " + e.what());
    }
}

void Runner::restore() {
    for (auto& [function, o] : originals_) {
        if (!o.exists) continue;
        try {
            const json current = client_->get_configuration(function);
            json changes = json::object();
            for (const char* key : {"MemorySize", "Description"}) {
                if (o.config.contains(key) && current.value(key, json()) != o.config[key]) changes[key] = o.config[key];
            }
            if (architecture_of(current) != architecture_of(o.config))
                changes["Architectures"] = json::array({architecture_of(o.config)});
            if (variables_of(current) != variables_of(o.config))
                changes["Environment"] = {{"Variables", variables_of(o.config)}};
            if (has_vpc(current) != has_vpc(o.config))
                changes["VpcConfig"] = has_vpc(o.config) ? o.config["VpcConfig"] : vpc_config(false);
            if (!changes.empty()) client_->update_configuration(function, changes);
            if (client_->get_reserved_concurrency(function) != o.reserved) {
                if (o.reserved)
                    client_->put_reserved_concurrency(function, *o.reserved);
                else
                    client_->delete_reserved_concurrency(function);
            }
        } catch (const std::exception& e) {
            message("could not restore " + function + "'s configuration: " + e.what());
        }
    }
}

void Runner::wait_for_rows() {
    // The emulator commits invocation records in batches (about every 20 ms).
    const auto deadline = SteadyClock::now() + std::chrono::seconds(10);
    while (SteadyClock::now() < deadline) {
        try {
            if (client_->run(run_id_, false).value("invocations", 0L) >= answered_) return;
        } catch (const std::exception&) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    message("warning: the store holds fewer invocation rows than the emulator answered");
}

json Runner::analyze() {
    json result = json::object();
    if (!suite_.power_tuning) return result;
    const PowerTuningAnalysis& pt = *suite_.power_tuning;
    std::map<std::string, std::vector<const Variant*>> by_function;
    std::vector<std::string> order;
    for (const auto& v : suite_.variants) {
        if (!by_function.contains(v.function)) order.push_back(v.function);
        by_function[v.function].push_back(&v);
    }
    json tuned = json::object();
    for (const auto& function : order) {
        const Original& o = original(function);
        TuningInput input;
        input.strategy = pt.strategy;
        input.balanced_weight = pt.balanced_weight;
        input.region = o.exists ? region_of(o.config) : "us-east-1";
        bool all_cold = true;
        for (const Variant* v : by_function[function]) {
            all_cold = all_cold && v->start == StartMode::cold;
            input.num = static_cast<int>(v->load.num);
        }
        input.only_cold_starts = all_cold;
        const double discard = discard_top_bottom(pt.discard_top_bottom, all_cold);
        for (const Variant* v : by_function[function]) {
            const VariantState& state = states_[v->name];
            if (state.figures.empty()) continue;
            const std::string architecture = v->architecture.value_or(o.exists ? architecture_of(o.config) : "x86_64");
            const ExecutorStats stats =
                executor_stats(*v->memory, state.figures, base_cost(input.region, architecture), discard);
            input.stats.push_back(stats);
            json& out = states_[v->name].result;
            out["value"] = stats.value;
            out["averagePrice"] = stats.average_price;
            out["averageDuration"] = stats.average_duration;
            out["totalCost"] = stats.total_cost;
            out["discardTopBottom"] = discard;
        }
        try {
            tuned[function] = tuning_output(input);
        } catch (const std::invalid_argument& e) {
            tuned[function] = {{"error", e.what()}};
        }
    }
    result["powerTuning"] = tuned;
    return result;
}

RunResult Runner::run() {
    started_ = SteadyClock::now();
    connect(options_.endpoint);
    json create = {{"name", suite_.name},
                   {"kind", options_.kind},
                   {"suite", suite_.source},
                   {"endpoint", endpoint_},
                   {"environment", options_.environment}};
    run_id_ = client_->create_run(create);
    run_key_ = std::to_string(run_id_);
    uploader_ = std::make_unique<Uploader>(run_id_);
    uploader_->set_endpoint(endpoint_);
    for (std::size_t i = 0; i < suite_.variants.size(); ++i) {
        const Variant& v = suite_.variants[i];
        client_->add_variant(run_id_, {{"name", v.name}, {"position", i}, {"config", v.config()}});
        states_[v.name];
    }
    total_ = suite_.planned_invocations();
    message("run " + run_key_ + ": " + suite_.name + " (" + std::to_string(suite_.variants.size()) + " variants, " +
            std::to_string(total_) + " invocations) against " + endpoint_);

    for (int repetition = 0; repetition < suite_.repetitions && !halted(); ++repetition) {
        for (std::size_t i = 0; i < suite_.variants.size() && !halted(); ++i) {
            const Variant& v = suite_.variants[i];
            VariantState& state = states_[v.name];
            if (state.status == "skipped" || state.status == "failed") continue;
            current_variant_ = v.name;
            label_ = (suite_.repetitions > 1
                          ? "rep " + std::to_string(repetition + 1) + "/" + std::to_string(suite_.repetitions) + " "
                          : "") +
                     std::to_string(i + 1) + "/" + std::to_string(suite_.variants.size()) + " " + v.name;
            std::string version;
            bool provisioned = false;
            try {
                ensure_profile(v);
                set_status(v.name, "running");
                configure(v);
                std::string qualifier;
                if (v.provisioned_concurrency) {
                    provisioned = true;
                    qualifier = setup_provisioned(v, version);
                }
                warm_up(v);
                measure(v, repetition, qualifier);
                if (provisioned) teardown_provisioned(v, version);
                if (!halted() && repetition + 1 == suite_.repetitions) set_status(v.name, "complete");
            } catch (const Skip& skip) {
                if (provisioned) teardown_provisioned(v, version);
                for (int r = repetition; r < suite_.repetitions; ++r) total_ -= v.load.planned(r);
                set_status(v.name, "skipped", skip.message);
                message("variant " + v.name + " skipped: " + skip.message);
            } catch (const CallError& e) {
                if (provisioned) teardown_provisioned(v, version);
                for (int r = repetition; r < suite_.repetitions; ++r) total_ -= v.load.planned(r);
                set_status(v.name, "failed", e.what());
                message("variant " + v.name + " failed: " + e.what());
            } catch (const std::exception& e) {
                // The emulator went away, or a wait timed out: the run cannot go on.
                halt_ = true;
                if (!(options_.interrupted && options_.interrupted->load())) {
                    fatal_ = "variant " + v.name + ": " + e.what();
                    message(fatal_);
                }
            }
        }
    }
    if (options_.progress) options_.progress->done();
    const bool interrupted = options_.interrupted && options_.interrupted->load();

    RunResult out;
    out.run_id = run_id_;
    uploader_->flush();
    if (const std::string error = uploader_->error(); !error.empty())
        message("warning: some client samples were not stored: " + error);
    for (auto& [name, state] : states_) {
        if (state.completed == 0) continue;
        state.result["measured"] = state.completed;
        state.result["loadSeconds"] = state.load_s;
        if (state.load_s > 0) state.result["rate"] = static_cast<double>(state.completed) / state.load_s;
    }
    json result = analyze();
    for (const auto& [name, state] : states_) {
        if (state.result.empty()) continue;
        try {
            client_->update_variant(run_id_, name, {{"result", state.result}});
        } catch (const std::exception& e) {
            message("could not store the result of " + name + ": " + e.what());
        }
    }
    restore();
    wait_for_rows();
    out.status = !fatal_.empty() ? "failed" : interrupted || halt_.load() ? "incomplete" : "complete";
    out.message = !fatal_.empty() ? fatal_ : interrupted ? "interrupted (Ctrl-C): what was measured is kept" : "";
    json run = client_->run(run_id_, true);
    run["result"] = result;
    if (!suite_.headline.empty()) out.headline = render_headline(suite_.headline, run);
    json finish = {{"status", out.status}, {"result", result}};
    if (!out.headline.empty()) finish["headline"] = out.headline;
    if (!out.message.empty()) finish["message"] = out.message;
    out.run = client_->finish_run(run_id_, finish);
    out.result = result;
    out.measured = done_;
    out.measuring_s = measuring_s_;
    out.elapsed_s = std::chrono::duration<double>(SteadyClock::now() - started_).count();
    out.endpoint = endpoint_;
    return out;
}

}  // namespace

RunResult run_suite(const Suite& suite, RunnerOptions& options) {
    Runner runner(suite, options);
    return runner.run();
}

}  // namespace lambdalab::lab
