#pragma once
// Routes every invocation: asks the model where it goes (warm sandbox, new sandbox, or throttle),
// has the sandbox layer carry it out, enforces the deadline, answers the caller as soon as the
// runtime responds, and records the invocation and its log. Runs on the event-loop thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/time_format.hpp"
#include "control/function_registry.hpp"
#include "model/clock.hpp"
#include "model/fleet.hpp"
#include "model/profile.hpp"
#include "model/vpc.hpp"
#include "sandbox/resource_control.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/sandbox_tmp.hpp"
#include "scheduler/invocation.hpp"
#include "scheduler/launch_spec.hpp"

namespace lambdalab::store {
class Store;
}

namespace lambdalab::scheduler {

struct SchedulerOptions {
    HostPaths paths;
    std::filesystem::path sandbox_root;              // per-sandbox /tmp directories live here
    sandbox::ResourceProvider* resources = nullptr;  // CPU, memory and freezing: required
    sandbox::TmpIsolation tmp;                       // what /tmp isolation the host allows
};

// A live sandbox, as the UI and tests see it.
struct SandboxStatus {
    std::string id;
    std::string function;
    std::string state;  // booting | initializing | busy | finishing | idle
    int pid = -1;
    int invocations = 0;
    std::int64_t created_at_ms = 0;
    bool frozen = false;  // idle and frozen (cgroup freezer or SIGSTOP) until its next invocation
};

class Scheduler final : private sandbox::SandboxObserver {
  public:
    Scheduler(boost::asio::io_context& io, control::FunctionRegistry& registry, store::Store& store,
              const model::Profile& profile, const model::Clock& clock, SchedulerOptions options);
    ~Scheduler() override;
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Runs one invocation; `done` is called exactly once, on the event-loop thread.
    void invoke(InvokeRequest request, InvokeCallback done);

    // PutFunctionConcurrency: refuses a reservation that would leave the account below its unreserved
    // minimum (400 InvalidParameterValueException), then records it.
    control::FunctionPtr put_reserved_concurrency(const std::string& function, int reserved);
    // PutProvisionedConcurrencyConfig: checks the reservation and the account's limits, then records it;
    // the sandboxes are initialized in the background (Status IN_PROGRESS until they all are).
    void put_provisioned_concurrency(const std::string& function, const std::string& qualifier, int count);
    // Initialized provisioned sandboxes for a qualifier (AllocatedProvisionedConcurrentExecutions).
    int provisioned_allocated(const std::string& function, const std::string& qualifier) const;

    void set_lambda_endpoint(std::string url) { options_.paths.lambda_endpoint = std::move(url); }
    void set_dynamodb_endpoint(std::string url) { options_.paths.dynamodb_endpoint = std::move(url); }

    // Stops every sandbox (SIGKILL); pending invocations are answered with a ServiceException.
    void shutdown();

    std::vector<SandboxStatus> sandboxes() const;
    const model::Profile& profile() const { return profile_; }
    const model::Fleet& fleet() const { return fleet_; }

  private:
    struct Invocation;
    struct Slot;
    struct Completion;

    void on_function_change(const control::FunctionConfig& config, control::FunctionRegistry::Change change);
    // Hyperplane: a function whose subnets and security groups have no network interface yet is
    // Pending until one is made.
    void apply_vpc_state(control::FunctionConfig& config);
    void activate_when_ready(const std::string& network);
    // Brings every version's provisioned sandboxes to what the function's qualifiers ask for.
    void sync_provisioned(const control::FunctionConfig& latest);
    void provision(const std::string& function, const std::string& version, int count);
    void start_provisioned(control::FunctionPtr config, const std::string& version, model::SandboxId id);
    // The sandbox is gone from the fleet; a provisioned one is replaced, unless its INIT failed.
    void forget(Slot& slot, bool init_failed);
    Slot& new_slot(model::SandboxId id, control::FunctionPtr config, const std::string& version);
    void assign(Slot& slot, std::shared_ptr<Invocation> invocation);
    void start_cold(Slot& slot);
    void spawn(Slot& slot);
    void dispatch(Slot& slot);
    void complete(Slot& slot, Completion completion);
    void answer_without_sandbox(const std::shared_ptr<Invocation>& invocation, const AwsError& error);
    static Completion timed_out(const std::string& request_id, double seconds);
    void retire(Slot& slot, const std::string& reason);
    // Arms the reclamation timer for the earliest idle expiry; `idle` is a sandbox that just became idle.
    void schedule_expiry(std::optional<model::SandboxId> idle = std::nullopt);
    Slot* find_slot(const sandbox::Sandbox& sandbox);

    void on_init_limit(Slot& slot);
    void on_deadline(Slot& slot);

    // SandboxObserver
    void on_sandbox_ready(sandbox::Sandbox& sandbox, std::optional<std::int64_t> init_start_epoch_ms) override;
    void on_sandbox_init_error(sandbox::Sandbox& sandbox, sandbox::RuntimeOutcome outcome) override;
    void on_sandbox_outcome(sandbox::Sandbox& sandbox, sandbox::RuntimeOutcome outcome) override;
    void on_sandbox_idle(sandbox::Sandbox& sandbox) override;
    void on_sandbox_exit(sandbox::Sandbox& sandbox, sandbox::ExitStatus status) override;

    boost::asio::io_context& io_;
    control::FunctionRegistry& registry_;
    store::Store& store_;
    const model::Profile& profile_;
    const model::Clock& clock_;
    SchedulerOptions options_;
    model::Fleet fleet_;
    std::unordered_map<model::SandboxId, std::unique_ptr<Slot>> slots_;
    int host_cores_;
    model::VpcNetworks vpc_;
    std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> networks_in_progress_;
    boost::asio::steady_timer expiry_timer_;
    std::optional<model::Time> expiry_at_;  // when expiry_timer_ fires, if armed
    // Versions with provisioned concurrency, by function; and those whose provisioned INIT failed.
    std::map<std::string, std::set<std::string>> provisioned_versions_;
    std::set<std::pair<std::string, std::string>> provisioning_failed_;
    bool shutting_down_ = false;
};

}  // namespace lambdalab::scheduler
