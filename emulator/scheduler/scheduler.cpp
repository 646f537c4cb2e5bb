#include "scheduler/scheduler.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/ids.hpp"
#include "control/runtime_catalog.hpp"
#include "model/billing.hpp"
#include "scheduler/log_format.hpp"
#include "store/store.hpp"

namespace lambdalab::scheduler {

namespace fs = std::filesystem;
using nlohmann::json;

struct Scheduler::Invocation {
    InvokeRequest request;
    InvokeCallback done;
    WallTime received = std::chrono::system_clock::now();
    bool dispatched = false;
    model::Time dispatched_at{};
    bool cold = false;
    bool provisioned = false;  // ran on a provisioned-concurrency sandbox
    std::optional<double> init_duration_ms;
    std::optional<double> runtime_start_ms;  // spawn to the runtime loading the function's code
    std::optional<double> function_init_ms;  // loading the function's code to the first /next
    std::optional<double> boot_ms;
    std::optional<double> code_download_ms;
    std::optional<double> vpc_setup_ms;
    std::string log;  // INIT lines on a cold start, then START and what follows
};

struct Scheduler::Slot {
    enum class Phase { booting, initializing, busy, finishing, idle, dead };
    Slot(boost::asio::io_context& io, model::SandboxId sandbox_id, control::FunctionPtr fn)
        : id(sandbox_id), function(std::move(fn)), timer(io) {}

    model::SandboxId id;
    control::FunctionPtr function;  // the configuration the sandbox was made with
    SandboxIdentity identity;
    std::unique_ptr<sandbox::SandboxTmp> tmp;   // outlives the sandbox's processes (declared first)
    std::unique_ptr<sandbox::Sandbox> sandbox;  // absent while the simulated boot runs
    Phase phase = Phase::booting;
    std::shared_ptr<Invocation> current;  // running, initializing for, or assigned while finishing
    model::Time spawned_at{};
    WallTime spawned_wall{};
    bool suppressed_init = false;  // INIT is being retried inside an invocation
    bool init_boosted = false;     // INIT runs with at least one vCPU; the memory's share starts at dispatch
    bool cpu_limited_by_host = false;
    std::optional<std::uint64_t> vpc_worker;  // legacy VPC: the worker (and ENI) it runs on
    std::string init_log;
    int invocations = 0;
    WallTime created = std::chrono::system_clock::now();
    boost::asio::steady_timer timer;  // simulated boot, INIT limit or invocation deadline
};

// How an invocation ended, before the log and the bill are added.
struct Scheduler::Completion {
    std::string body;
    std::string content_type = "application/json";
    bool function_error = false;
    std::string error_type;
    std::string status = "success";  // as stored: success | error | timeout
    std::string report_status;       // REPORT's Status field: "", "error", "timeout"
    std::string log_before_end;      // the timeout line
    bool keep_sandbox = true;

    // A failure that ends the sandbox: a crash, an init failure, a timeout.
    static Completion fatal(const std::string& error_type, const std::string& message, const std::string& status) {
        Completion c;
        c.body = nlohmann::json{{"errorType", error_type}, {"errorMessage", message}}.dump();
        c.function_error = true;
        c.error_type = error_type;
        c.status = status;
        c.report_status = status;
        c.keep_sandbox = false;
        return c;
    }
};

namespace {

const char* phase_name(int phase) {
    static constexpr const char* kNames[] = {"booting", "initializing", "busy", "finishing", "idle", "dead"};
    return kNames[phase];
}

}  // namespace

// Task timed out after N.NN seconds: the sandbox is killed.
Scheduler::Completion Scheduler::timed_out(const std::string& request_id, double seconds) {
    Completion completion = Completion::fatal(
        "Sandbox.Timedout", "RequestId: " + request_id + " Error: " + timeout_message(seconds), "timeout");
    completion.log_before_end = timeout_line(iso8601_ms(std::chrono::system_clock::now()), request_id, seconds);
    return completion;
}

Scheduler::Scheduler(boost::asio::io_context& io, control::FunctionRegistry& registry, store::Store& store,
                     const model::Profile& profile, const model::Clock& clock, SchedulerOptions options)
    : io_(io),
      registry_(registry),
      store_(store),
      profile_(profile),
      clock_(clock),
      options_(std::move(options)),
      fleet_(clock, profile),
      host_cores_(sandbox::host_cores()),
      vpc_(profile.vpc),
      expiry_timer_(io) {
    for (const auto& fn : registry_.list()) fleet_.set_policy(fn->name, {fn->reserved_concurrency});
    registry_.subscribe([this](const control::FunctionConfig& config, control::FunctionRegistry::Change change) {
        on_function_change(config, change);
    });
    registry_.set_state_policy([this](control::FunctionConfig& config) { apply_vpc_state(config); });
}

void Scheduler::apply_vpc_state(control::FunctionConfig& config) {
    config.state = "Active";
    config.state_reason.clear();
    config.state_reason_code.clear();
    if (!config.vpc.enabled() || profile_.vpc.mode != model::VpcSettings::Mode::hyperplane) return;
    const std::string network = model::network_key(config.vpc.subnet_ids, config.vpc.security_group_ids);
    if (vpc_.hyperplane_ready(network)) return;
    if (profile_.scaled(profile_.vpc.hyperplane_pending) <= model::Duration::zero()) {
        vpc_.hyperplane_created(network);
        return;
    }
    config.state = "Pending";
    config.state_reason = "The function is being created.";
    config.state_reason_code = "Creating";
    activate_when_ready(network);
}

void Scheduler::activate_when_ready(const std::string& network) {
    if (networks_in_progress_.contains(network)) return;
    auto timer = std::make_unique<boost::asio::steady_timer>(io_, profile_.scaled(profile_.vpc.hyperplane_pending));
    timer->async_wait([this, network](boost::system::error_code ec) {
        if (ec) return;
        vpc_.hyperplane_created(network);
        networks_in_progress_.erase(network);
        for (const auto& fn : registry_.list()) {
            if (fn->state == "Pending" && fn->vpc.enabled() &&
                model::network_key(fn->vpc.subnet_ids, fn->vpc.security_group_ids) == network) {
                registry_.set_state(fn->name, "Active", "", "");
            }
        }
    });
    networks_in_progress_.emplace(network, std::move(timer));
}

Scheduler::~Scheduler() {
    shutdown();
}

void Scheduler::shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    expiry_timer_.cancel();
    for (auto& [id, slot] : slots_) {
        if (slot->current && slot->current->done) {
            InvokeResult result;
            result.request_id = slot->current->request.request_id;
            result.error = AwsError{500, "ServiceException", "lambdalab is shutting down", {}};
            slot->current->done(std::move(result));
        }
        if (slot->sandbox) store_.record_sandbox_end(slot->identity.id, epoch_ms_now(), "shutdown");
    }
    slots_.clear();  // each sandbox kills and reaps its process group
}

void Scheduler::on_function_change(const control::FunctionConfig& config, control::FunctionRegistry::Change change) {
    using Change = control::FunctionRegistry::Change;
    std::vector<model::SandboxId> stale;
    switch (change) {
        case Change::created:
            // A function restored while its network interface was still being made.
            if (config.state == "Pending" && config.vpc.enabled()) {
                activate_when_ready(model::network_key(config.vpc.subnet_ids, config.vpc.security_group_ids));
            }
            fleet_.set_policy(config.name, {config.reserved_concurrency});
            break;
        case Change::concurrency:
            fleet_.set_policy(config.name, {config.reserved_concurrency});
            break;
        case Change::configuration:
        case Change::code:
            // Lambda discards warm sandboxes when code or configuration changes; published versions keep theirs.
            fleet_.set_policy(config.name, {config.reserved_concurrency});
            stale = fleet_.invalidate(config.name, "$LATEST");
            break;
        case Change::version_deleted:
            stale = fleet_.invalidate(config.name, config.version);
            break;
        case Change::deleted:
            stale = fleet_.remove_function(config.name);
            provisioned_versions_.erase(config.name);
            break;
        case Change::routing:
            sync_provisioned(config);
            break;
        case Change::settings:
            break;
    }
    for (const auto id : stale) {
        if (auto it = slots_.find(id); it != slots_.end()) retire(*it->second, "function changed");
    }
}

void Scheduler::sync_provisioned(const control::FunctionConfig& latest) {
    std::map<std::string, int> wanted;  // by version: an alias and its version may both ask
    for (const auto& [qualifier, count] : latest.provisioned) {
        try {
            wanted[registry_.resolve(latest.name, qualifier).version] += count;
        } catch (const AwsException&) {
            // The qualifier went away; its provisioned concurrency with it.
        }
    }
    auto& known = provisioned_versions_[latest.name];
    for (const auto& version : known) {
        if (!wanted.contains(version)) provision(latest.name, version, 0);
    }
    known.clear();
    for (const auto& [version, count] : wanted) {
        provisioning_failed_.erase({latest.name, version});
        provision(latest.name, version, count);
        known.insert(version);
    }
}

void Scheduler::provision(const std::string& function, const std::string& version, int count) {
    const model::Provisioning plan = fleet_.set_provisioned(function, version, count);
    for (const auto id : plan.stop) {
        if (auto it = slots_.find(id); it != slots_.end()) retire(*it->second, "provisioned concurrency reduced");
    }
    if (plan.create.empty()) return;
    const auto config = registry_.resolve(function, version).config;
    for (const auto id : plan.create) start_provisioned(config, version, id);
}

Scheduler::Slot& Scheduler::new_slot(model::SandboxId id, control::FunctionPtr config, const std::string& version) {
    auto slot = std::make_unique<Slot>(io_, id, std::move(config));
    slot->identity.id = random_hex(32);
    slot->identity.version = version;
    slot->identity.log_stream =
        log_stream_date(std::chrono::system_clock::now()) + "/[" + version + "]" + slot->identity.id;
    slot->identity.tmp_dir = options_.sandbox_root / slot->identity.id;
    Slot& ref = *slot;
    slots_.emplace(id, std::move(slot));
    return ref;
}

void Scheduler::start_provisioned(control::FunctionPtr config, const std::string& version, model::SandboxId id) {
    Slot& slot = new_slot(id, std::move(config), version);
    slot.identity.provisioned = true;
    start_cold(slot);
}

void Scheduler::forget(Slot& slot, bool init_failed) {
    fleet_.remove_sandbox(slot.id);
    if (!slot.identity.provisioned) return;
    const std::pair<std::string, std::string> key{slot.function->name, slot.identity.version};
    if (init_failed) {
        // No endless respawning of a function whose INIT cannot succeed.
        provisioning_failed_.insert(key);
        return;
    }
    if (!shutting_down_ && !provisioning_failed_.contains(key)) {
        provision(key.first, key.second, fleet_.provisioned_target(key.first, key.second));
    }
}

void Scheduler::put_provisioned_concurrency(const std::string& function, const std::string& qualifier, int count) {
    const auto latest = registry_.get(function);
    if (count < 1) throw_invalid_parameter("ProvisionedConcurrentExecutions must be at least 1");
    int total = count;
    for (const auto& [q, n] : latest->provisioned) {
        if (q != qualifier) total += n;
    }
    if (latest->reserved_concurrency && total > *latest->reserved_concurrency) {
        throw_invalid_parameter(
            "Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for "
            "function");
    }
    if (!latest->reserved_concurrency && total > fleet_.unreserved_limit() - profile_.concurrency.unreserved_minimum) {
        throw_invalid_parameter(
            "Requested Provisioned Concurrency would decrease account's UnreservedConcurrentExecution "
            "below its minimum value of [" +
            std::to_string(profile_.concurrency.unreserved_minimum) + "].");
    }
    registry_.set_provisioned(function, qualifier, count);
}

int Scheduler::provisioned_allocated(const std::string& function, const std::string& qualifier) const {
    const auto resolved = registry_.resolve(function, qualifier);
    return fleet_.provisioned_ready(function, resolved.version);
}

control::FunctionPtr Scheduler::put_reserved_concurrency(const std::string& function, int reserved) {
    registry_.get(function);
    if (!fleet_.can_reserve(function, reserved)) {
        throw_invalid_parameter(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            "below its minimum value of [" +
            std::to_string(profile_.concurrency.unreserved_minimum) + "].");
    }
    return registry_.set_reserved_concurrency(function, reserved);
}

void Scheduler::invoke(InvokeRequest request, InvokeCallback done) {
    auto invocation = std::make_shared<Invocation>();
    if (request.request_id.empty()) request.request_id = new_uuid();
    invocation->request = std::move(request);
    invocation->done = std::move(done);
    const control::FunctionConfig& fn = *invocation->request.function;

    if (shutting_down_)
        return answer_without_sandbox(invocation, {500, "ServiceException", "lambdalab is shutting down", {}});
    if (fn.state == "Pending") {
        return answer_without_sandbox(invocation, {409,
                                                   "ResourceConflictException",
                                                   "The operation cannot be performed at this time. The function is "
                                                   "currently in the following state: Pending",
                                                   {}});
    }
    if (!fleet_.has_function(fn.name)) fleet_.set_policy(fn.name, {fn.reserved_concurrency});

    const model::Placement placement = fleet_.place(fn.name, invocation->request.version);
    switch (placement.kind) {
        case model::Placement::Kind::throttled:
            return answer_without_sandbox(invocation, {429, "TooManyRequestsException", "Rate Exceeded.",
                                                       std::string(to_string(placement.reason))});
        case model::Placement::Kind::warm:
            invocation->provisioned = placement.provisioned;
            return assign(*slots_.at(placement.sandbox), std::move(invocation));
        case model::Placement::Kind::cold: {
            Slot& slot = new_slot(placement.sandbox, invocation->request.function, invocation->request.version);
            invocation->cold = true;
            slot.current = std::move(invocation);
            return start_cold(slot);
        }
    }
}

void Scheduler::answer_without_sandbox(const std::shared_ptr<Invocation>& invocation, const AwsError& error) {
    const InvokeRequest& request = invocation->request;
    store::InvocationRecord record;
    record.request_id = request.request_id;
    record.function = request.function->name;
    record.version = request.version;
    record.invocation_type = request.invocation_type;
    record.status = error.status == 429 ? "throttled" : "rejected";
    record.error_type = error.reason.empty() ? error.type : error.reason;
    record.start_time_ms = epoch_ms(invocation->received);
    record.end_time_ms = epoch_ms_now();
    record.memory_size_mb = request.function->memory_mb;
    record.profile = profile_.name;
    record.architecture = request.function->architecture;
    record.resource_control = options_.resources->mechanism();
    record.run_id = request.run_id;
    record.variant = request.variant;
    store_.record_invocation(std::move(record));

    InvokeResult result;
    result.request_id = request.request_id;
    result.error = error;
    invocation->done(std::move(result));
}

void Scheduler::assign(Slot& slot, std::shared_ptr<Invocation> invocation) {
    slot.current = std::move(invocation);
    // A sandbox that has just answered is reused at once; the event waits for the runtime's next /next.
    if (slot.phase == Slot::Phase::idle) dispatch(slot);
}

void Scheduler::start_cold(Slot& slot) {
    const control::FunctionConfig& fn = *slot.function;
    // Simulated phases before the process exists: sandbox creation and code download.
    const double code_mb = static_cast<double>(fn.code_size) / (1024.0 * 1024.0);
    const model::Duration boot = profile_.scaled(profile_.cold_start.sandbox_boot);
    const model::Duration download = profile_.scaled(model::from_ms(
        std::max(0.0, code_mb - profile_.cold_start.download_free_mb) * profile_.cold_start.download_ms_per_mb));
    if (slot.current) {
        slot.current->boot_ms = model::to_ms(boot);
        slot.current->code_download_ms = model::to_ms(download);
    }
    model::Duration vpc_setup = model::Duration::zero();
    if (fn.vpc.enabled() && profile_.vpc.mode == model::VpcSettings::Mode::legacy_eni) {
        const auto attachment = vpc_.attach(fn.name, model::network_key(fn.vpc.subnet_ids, fn.vpc.security_group_ids),
                                            static_cast<int>(fn.vpc.subnet_ids.size()), fn.memory_mb);
        if (!attachment) {
            // No IP left for another worker's network interface: the invocation fails (502), as in 2018.
            auto invocation = std::move(slot.current);
            forget(slot, false);
            retire(slot, "no subnet IP");
            if (invocation) {
                answer_without_sandbox(
                    invocation, {502,
                                 "SubnetIPAddressLimitReachedException",
                                 "Lambda was not able to set up VPC access for the Lambda function because one or "
                                 "more configured subnets has no available IP addresses.",
                                 {}});
            }
            return;
        }
        slot.vpc_worker = attachment->worker;
        if (attachment->new_eni) vpc_setup = profile_.scaled(profile_.vpc.legacy_eni_setup);
    }
    if (slot.current) slot.current->vpc_setup_ms = model::to_ms(vpc_setup);
    slot.phase = Slot::Phase::booting;
    const model::Duration delay = boot + download + vpc_setup;
    if (delay <= model::Duration::zero()) return spawn(slot);
    slot.timer.expires_after(delay);
    slot.timer.async_wait([this, id = slot.id](boost::system::error_code ec) {
        if (ec) return;
        if (auto it = slots_.find(id); it != slots_.end() && it->second->phase == Slot::Phase::booting)
            spawn(*it->second);
    });
}

namespace {

sandbox::CpuQuota quota_of(const model::CpuLimit& limit) {
    return {.quota_us = limit.quota_us, .period_us = limit.period_us, .cpus = limit.cpus};
}

}  // namespace

void Scheduler::spawn(Slot& slot) {
    const control::FunctionConfig& fn = *slot.function;
    sandbox::SandboxObserver& observer = *this;
    try {
        // On-demand INIT runs with at least one vCPU (reference/perf-model.md §1.4); a retried INIT does not.
        const bool boost =
            profile_.cold_start.boost_on_demand_init && !slot.suppressed_init && !slot.identity.provisioned;
        const model::CpuLimit steady = model::cpu_limit(fn.memory_mb, profile_.cpu, host_cores_);
        const model::CpuLimit init = model::cpu_limit(fn.memory_mb, profile_.cpu, host_cores_, boost);
        slot.init_boosted = init.quota_us * steady.period_us != steady.quota_us * init.period_us;
        slot.cpu_limited_by_host = steady.host_too_small;
        auto resources =
            options_.resources->create(slot.identity.id, static_cast<std::int64_t>(fn.memory_mb) << 20, quota_of(init));
        // A retried INIT keeps the sandbox's /tmp, as Lambda's reset does.
        if (!slot.tmp) {
            slot.tmp = std::make_unique<sandbox::SandboxTmp>(slot.identity.tmp_dir, fn.ephemeral_storage_mb,
                                                             options_.tmp.size_limited);
        }
        slot.identity.private_tmp = options_.tmp.private_mount;
        // Each can fail: the Runtime API endpoint needs a socket, the runtime an executable.
        slot.sandbox =
            std::make_unique<sandbox::Sandbox>(io_, slot.identity.id, slot.id, observer, std::move(resources));
        slot.sandbox->start(launch_spec(fn, registry_.account(), slot.identity, options_.paths));
    } catch (const std::exception& e) {
        // The bootstrap could not be executed: Lambda answers Runtime.InvalidEntrypoint.
        const std::string id = slot.current ? slot.current->request.request_id : std::string{};
        const auto* failure = dynamic_cast<const std::system_error*>(&e);
        const std::string message =
            failure && failure->code() == std::errc::no_such_file_or_directory
                ? "RequestId: " + id + " Error: Couldn't find valid bootstrap(s): [" +
                      (fn.code_dir / "bootstrap").string() + "]"
                : "RequestId: " + id + " Error: fork/exec " + fn.code_dir.string() +
                      "/bootstrap: " + (failure ? failure->code().message() : std::string(e.what()));
        slot.init_log += init_report_line(0, "init", "error", "Runtime.InvalidEntrypoint");
        slot.sandbox.reset();
        if (slot.current) return complete(slot, Completion::fatal("Runtime.InvalidEntrypoint", message, "error"));
        forget(slot, true);
        return retire(slot, "spawn failed");
    }
    slot.phase = Slot::Phase::initializing;
    slot.spawned_at = clock_.now();
    slot.spawned_wall = std::chrono::system_clock::now();
    store_.record_sandbox_start({slot.identity.id, fn.name, slot.identity.version, slot.identity.log_stream,
                                 fn.memory_mb, slot.sandbox->pid(), epoch_ms(slot.created)});
    if (const auto* runtime = control::find_runtime(fn.runtime);
        runtime && control::is_managed(*runtime) && !slot.suppressed_init) {
        slot.init_log += init_start_line(std::string(runtime->runtime_version), registry_.account().region);
    }
    // On-demand INIT has 10 s; a retried ("suppressed") INIT runs under the function timeout instead.
    slot.timer.expires_after(slot.suppressed_init ? model::Duration(std::chrono::seconds(fn.timeout_s))
                                                  : profile_.cold_start.init_limit);
    slot.timer.async_wait([this, id = slot.id](boost::system::error_code timer_ec) {
        if (timer_ec) return;
        if (auto it = slots_.find(id); it != slots_.end()) on_init_limit(*it->second);
    });
}

void Scheduler::on_init_limit(Slot& slot) {
    if (slot.phase != Slot::Phase::initializing) return;
    const double elapsed = model::to_ms(clock_.now() - slot.spawned_at);
    if (slot.current && !slot.suppressed_init) {
        // Lambda retries INIT inside the invocation, with the function timeout (reference §1.5).
        slot.init_log += slot.sandbox->take_output() + init_report_line(elapsed, "init", "timeout", "");
        slot.sandbox.reset();  // kills and reaps the old process group
        slot.suppressed_init = true;
        return spawn(slot);
    }
    slot.init_log += slot.sandbox->take_output() + init_report_line(elapsed, "invoke", "timeout", "");
    if (!slot.current) {
        forget(slot, true);
        return retire(slot, "init timeout");
    }
    complete(slot, timed_out(slot.current->request.request_id, slot.function->timeout_s));
}

void Scheduler::dispatch(Slot& slot) {
    Invocation& invocation = *slot.current;
    const control::FunctionConfig& fn = *slot.function;
    const InvokeRequest& request = invocation.request;
    invocation.dispatched = true;
    invocation.dispatched_at = clock_.now();
    const std::int64_t deadline_ms = epoch_ms_now() + static_cast<std::int64_t>(fn.timeout_s) * 1000;
    invocation.log += slot.init_log + slot.sandbox->take_output() + start_line(request.request_id, request.version);
    slot.init_log.clear();

    slot.sandbox->thaw();
    if (slot.init_boosted) {
        // INIT is over: from now on the sandbox gets its memory size's share of CPU.
        slot.init_boosted = false;
        try {
            slot.sandbox->resources().set_cpu(quota_of(model::cpu_limit(fn.memory_mb, profile_.cpu, host_cores_)));
        } catch (const std::exception& e) {
            std::fprintf(stderr, "lambdalab: sandbox %s: %s\n", slot.identity.id.c_str(), e.what());
        }
    }
    slot.sandbox->deliver(sandbox::Event{.request_id = request.request_id,
                                         .payload = request.payload,
                                         .content_type = request.content_type,
                                         .deadline_ms = deadline_ms,
                                         .invoked_function_arn = request.invoked_arn,
                                         .trace_id = request.trace_id,
                                         .client_context = request.client_context,
                                         .cognito_identity = {},
                                         .tenant_id = request.tenant_id});
    slot.phase = Slot::Phase::busy;
    ++slot.invocations;
    slot.timer.expires_after(std::chrono::seconds(fn.timeout_s));
    slot.timer.async_wait([this, id = slot.id](boost::system::error_code ec) {
        if (ec) return;
        if (auto it = slots_.find(id); it != slots_.end()) on_deadline(*it->second);
    });
}

void Scheduler::on_deadline(Slot& slot) {
    if (slot.phase != Slot::Phase::busy || !slot.current) return;
    // Lambda resets the environment: the next invocation is a cold start.
    complete(slot, timed_out(slot.current->request.request_id,
                             model::to_ms(clock_.now() - slot.current->dispatched_at) / 1000.0));
}

void Scheduler::complete(Slot& slot, Completion completion) {
    const std::shared_ptr<Invocation> invocation = std::move(slot.current);
    slot.current.reset();
    slot.timer.cancel();
    const control::FunctionConfig& fn = *slot.function;
    const InvokeRequest& request = invocation->request;

    if (!invocation->dispatched) invocation->log += slot.init_log + start_line(request.request_id, request.version);
    const double duration_ms = invocation->dispatched ? model::to_ms(clock_.now() - invocation->dispatched_at) : 0.0;
    const int max_memory_mb = slot.sandbox ? slot.sandbox->max_memory_used_mb() : 0;
    const auto* runtime = control::find_runtime(fn.runtime);
    const model::Bill bill =
        model::bill(profile_.billing,
                    {.duration_ms = duration_ms,
                     .init_duration_ms = invocation->init_duration_ms,
                     .memory_mb = fn.memory_mb,
                     .architecture = model::parse_architecture(fn.architecture).value_or(model::Architecture::x86_64),
                     .managed_runtime = runtime && control::is_managed(*runtime),
                     .provisioned = invocation->provisioned});
    std::string& log = invocation->log;
    if (slot.sandbox) log += slot.sandbox->take_output();
    log += completion.log_before_end + end_line(request.request_id) +
           report_line({.request_id = request.request_id,
                        .duration_ms = duration_ms,
                        .billed_duration_ms = bill.billed_duration_ms,
                        .memory_size_mb = fn.memory_mb,
                        .max_memory_used_mb = max_memory_mb,
                        .init_duration_ms = invocation->init_duration_ms,
                        .status = completion.report_status,
                        .error_type = completion.report_status == "error" ? completion.error_type : std::string{}});

    InvokeResult result;
    result.request_id = request.request_id;
    result.payload = std::move(completion.body);
    result.content_type = completion.content_type;
    result.function_error = completion.function_error;
    result.error_type = completion.error_type;
    result.executed_version = request.version;
    if (request.tail_log) result.log_result = log_tail_base64(log);

    store::InvocationRecord record;
    record.request_id = request.request_id;
    record.function = fn.name;
    record.version = request.version;
    record.invocation_type = request.invocation_type;
    record.sandbox_id = slot.identity.id;
    record.cold = invocation->cold;
    record.status = completion.status;
    record.error_type = completion.error_type;
    record.start_time_ms = epoch_ms(invocation->received);
    record.end_time_ms = epoch_ms_now();
    record.init_duration_ms = invocation->init_duration_ms;
    record.duration_ms = duration_ms;
    record.billed_duration_ms = bill.billed_duration_ms;
    record.memory_size_mb = fn.memory_mb;
    record.max_memory_used_mb = max_memory_mb;
    record.boot_ms = invocation->boot_ms;
    record.code_download_ms = invocation->code_download_ms;
    record.vpc_setup_ms = invocation->vpc_setup_ms;
    record.runtime_start_ms = invocation->runtime_start_ms;
    record.function_init_ms = invocation->function_init_ms;
    record.resource_control = options_.resources->mechanism();
    record.cpu_limited_by_host = slot.cpu_limited_by_host;
    record.run_id = request.run_id;
    record.variant = request.variant;
    record.provisioned = invocation->provisioned;
    record.cost_usd = bill.cost_usd;
    record.profile = profile_.name;
    record.architecture = fn.architecture;
    store_.record_invocation(std::move(record));
    store_.record_log({fn.name, slot.identity.id, request.request_id, epoch_ms(invocation->received), std::move(log)});

    // Settle the sandbox before answering, so a caller that invokes again at once finds it available.
    if (completion.keep_sandbox && fleet_.finish(slot.id)) {
        slot.phase = Slot::Phase::finishing;
    } else {
        if (completion.keep_sandbox) {
            retire(slot, "stale");
        } else {
            forget(slot, false);
            retire(slot, completion.status);
        }
    }
    invocation->done(std::move(result));
}

void Scheduler::retire(Slot& slot, const std::string& reason) {
    if (slot.phase == Slot::Phase::dead) return;
    slot.phase = Slot::Phase::dead;
    slot.timer.cancel();
    if (slot.vpc_worker) vpc_.detach(*std::exchange(slot.vpc_worker, std::nullopt), slot.function->memory_mb);
    if (slot.sandbox) {
        slot.sandbox->kill();
        store_.record_sandbox_end(slot.identity.id, epoch_ms_now(), reason);
    }
    // Destroy it on a later turn: we may be inside one of its own callbacks.
    boost::asio::post(io_, [this, id = slot.id, tmp = slot.identity.tmp_dir] {
        slots_.erase(id);
        std::error_code ec;
        fs::remove_all(tmp, ec);
    });
}

Scheduler::Slot* Scheduler::find_slot(const sandbox::Sandbox& sandbox) {
    const auto it = slots_.find(sandbox.tag());
    if (it == slots_.end() || it->second->sandbox.get() != &sandbox) return nullptr;
    return it->second.get();
}

void Scheduler::on_sandbox_ready(sandbox::Sandbox& sandbox, std::optional<std::int64_t> init_start_epoch_ms) {
    Slot* slot = find_slot(sandbox);
    if (!slot || slot->phase != Slot::Phase::initializing) return;
    slot->timer.cancel();
    const double init_ms = model::to_ms(clock_.now() - slot->spawned_at);
    slot->init_log += sandbox.take_output();
    if (!slot->current) {
        // Provisioned: initialized ahead of time, at the memory size's CPU share, and now idle.
        slot->init_boosted = false;
        fleet_.ready(slot->id);
        slot->phase = Slot::Phase::finishing;
        return on_sandbox_idle(sandbox);
    }
    Invocation& invocation = *slot->current;
    invocation.init_duration_ms = init_ms;
    invocation.function_init_ms = init_ms;
    if (init_start_epoch_ms) {
        // The runtime said when it began loading the function: INIT splits there.
        const double runtime_start =
            std::clamp(static_cast<double>(*init_start_epoch_ms - epoch_ms(slot->spawned_wall)), 0.0, init_ms);
        invocation.runtime_start_ms = runtime_start;
        invocation.function_init_ms = init_ms - runtime_start;
    }
    dispatch(*slot);
}

void Scheduler::on_sandbox_init_error(sandbox::Sandbox& sandbox, sandbox::RuntimeOutcome outcome) {
    Slot* slot = find_slot(sandbox);
    if (!slot || slot->phase != Slot::Phase::initializing) return;
    const double init_ms = model::to_ms(clock_.now() - slot->spawned_at);
    slot->init_log += sandbox.take_output() + init_report_line(init_ms, "init", "error", outcome.error_type);
    if (!slot->current) {
        forget(*slot, true);
        return retire(*slot, "init error");
    }
    // Answered at once with what the runtime posted, not after the timeout (reference §1.4).
    slot->current->init_duration_ms = init_ms;
    Completion completion = Completion::fatal(outcome.error_type, {}, "error");
    completion.body = std::move(outcome.body);  // what the runtime posted, verbatim
    complete(*slot, std::move(completion));
}

void Scheduler::on_sandbox_outcome(sandbox::Sandbox& sandbox, sandbox::RuntimeOutcome outcome) {
    Slot* slot = find_slot(sandbox);
    if (!slot || slot->phase != Slot::Phase::busy || !slot->current ||
        slot->current->request.request_id != outcome.request_id) {
        return;
    }
    Completion completion;
    switch (outcome.kind) {
        case sandbox::RuntimeOutcome::Kind::response:
            completion.body = std::move(outcome.body);
            completion.content_type = outcome.content_type;
            break;
        case sandbox::RuntimeOutcome::Kind::error:
            completion.body = std::move(outcome.body);
            completion.function_error = true;
            completion.error_type = outcome.error_type;
            completion.status = "error";
            break;
        case sandbox::RuntimeOutcome::Kind::too_large:
            // The sandbox survives an oversized response; only the invocation fails.
            completion = Completion::fatal("Function.ResponseSizeTooLarge",
                                           "Response payload size (" + std::to_string(outcome.size) +
                                               " bytes) exceeded maximum allowed payload size (" +
                                               std::to_string(sandbox::kMaxRuntimeResponseBytes) + " bytes).",
                                           "error");
            completion.report_status.clear();
            completion.keep_sandbox = true;
            break;
    }
    complete(*slot, std::move(completion));
}

void Scheduler::on_sandbox_idle(sandbox::Sandbox& sandbox) {
    Slot* slot = find_slot(sandbox);
    if (!slot || slot->phase != Slot::Phase::finishing) return;
    if (slot->current) return dispatch(*slot);
    slot->phase = Slot::Phase::idle;
    slot->timer.expires_after(profile_.lifecycle.freeze_delay);
    slot->timer.async_wait([this, id = slot->id](boost::system::error_code ec) {
        if (ec) return;
        if (auto it = slots_.find(id); it != slots_.end() && it->second->phase == Slot::Phase::idle) {
            it->second->sandbox->freeze();
        }
    });
    schedule_expiry(slot->id);
}

void Scheduler::on_sandbox_exit(sandbox::Sandbox& sandbox, sandbox::ExitStatus status) {
    Slot* slot = find_slot(sandbox);
    if (!slot || slot->phase == Slot::Phase::dead) return;
    const bool running_invocation =
        slot->current && (slot->phase == Slot::Phase::initializing || slot->phase == Slot::Phase::busy);
    if (!running_invocation) {
        // Died between invocations. An invocation assigned to it meanwhile is routed afresh.
        std::shared_ptr<Invocation> waiting = std::move(slot->current);
        forget(*slot, /*init_failed=*/slot->phase == Slot::Phase::initializing);
        retire(*slot, "exited: " + status.describe());
        if (waiting) invoke(std::move(waiting->request), std::move(waiting->done));
        return;
    }
    const std::string& id = slot->current->request.request_id;
    const std::string message = (!status.signaled && status.value == 0)
                                    ? "RequestId: " + id + " Error: Runtime exited without providing a reason"
                                    : "RequestId: " + id + " Error: Runtime exited with error: " + status.describe();
    if (slot->phase == Slot::Phase::initializing) {
        const double init_ms = model::to_ms(clock_.now() - slot->spawned_at);
        slot->current->init_duration_ms = init_ms;
        slot->init_log += sandbox.take_output() + init_report_line(init_ms, "init", "error", "Runtime.ExitError");
    }
    complete(*slot, Completion::fatal("Runtime.ExitError", message, "error"));
}

void Scheduler::schedule_expiry(std::optional<model::SandboxId> idle) {
    // Most of the time the timer is already armed for an earlier expiry: this is O(1) then.
    std::optional<model::Time> next;
    if (idle && expiry_at_) {
        const auto own = fleet_.expiry_of(*idle);
        if (!own || *own >= *expiry_at_) return;
        next = own;
    } else {
        next = fleet_.next_expiry();
    }
    if (!next) return;
    expiry_at_ = next;
    expiry_timer_.expires_after(std::max(model::Duration::zero(), *next - clock_.now()) + std::chrono::milliseconds(1));
    expiry_timer_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        expiry_at_.reset();
        for (const auto id : fleet_.expire()) {
            if (auto it = slots_.find(id); it != slots_.end()) {
                retire(*it->second, "idle");
                forget(*it->second, false);  // a provisioned sandbox past its lifetime is replaced
            }
        }
        schedule_expiry();
    });
}

std::vector<SandboxStatus> Scheduler::sandboxes() const {
    std::vector<SandboxStatus> out;
    for (const auto& [id, slot] : slots_) {
        if (slot->phase == Slot::Phase::dead) continue;
        out.push_back({slot->identity.id, slot->function->name, phase_name(static_cast<int>(slot->phase)),
                       slot->sandbox ? slot->sandbox->pid() : -1, slot->invocations, epoch_ms(slot->created),
                       slot->sandbox && slot->sandbox->frozen()});
    }
    return out;
}

}  // namespace lambdalab::scheduler
