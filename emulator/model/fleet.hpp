#pragma once
// The fleet: which sandboxes exist, which are busy, and where the next invocation goes.
// Lambda's rules (reference/perf-model.md §4): one invocation per sandbox; an idle sandbox is reused
// (the most recently used first); a new one is made only when none is idle, within the function's
// reserved concurrency, the account limit and the scaling rate; idle sandboxes expire.
// Pure logic over an injected clock: the scheduler carries out what it decides.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/clock.hpp"
#include "model/profile.hpp"
#include "model/scaling.hpp"

namespace lambdalab::model {

using SandboxId = std::uint64_t;

// The `Reason` of a 429 TooManyRequestsException.
enum class ThrottleReason {
    reserved_concurrency,  // ReservedFunctionConcurrentInvocationLimitExceeded
    account_concurrency,   // ConcurrentInvocationLimitExceeded
    scaling_rate,          // FunctionInvocationRateLimitExceeded
};
std::string_view to_string(ThrottleReason reason);

struct Placement {
    enum class Kind { warm, cold, throttled };
    Kind kind = Kind::throttled;
    SandboxId sandbox = 0;
    ThrottleReason reason = ThrottleReason::account_concurrency;
    bool provisioned = false;  // a provisioned-concurrency sandbox (warm, initialized ahead of time)
};

// What to do to bring a version's provisioned concurrency to its target.
struct Provisioning {
    std::vector<SandboxId> create;  // new sandboxes to initialize (not serving an invocation)
    std::vector<SandboxId> stop;    // idle provisioned sandboxes no longer wanted
};

enum class SandboxState { initializing, busy, idle };

struct FunctionPolicy {
    std::optional<int> reserved_concurrency;
};

class Fleet {
  public:
    Fleet(const Clock& clock, const Profile& profile, std::uint64_t seed = 42);

    // Declares a function or updates its limits.
    void set_policy(const std::string& function, FunctionPolicy policy);
    // Forgets a function. Returns its idle sandboxes, to stop now; busy ones retire when they finish.
    std::vector<SandboxId> remove_function(const std::string& function);
    // A version's code or configuration changed (or the version went away): returns its warm
    // sandboxes to discard; busy ones retire when they finish. Other versions keep theirs.
    std::vector<SandboxId> invalidate(const std::string& function, const std::string& version = "$LATEST");
    bool has_function(const std::string& function) const { return functions_.contains(function); }

    // Routes one invocation of a known function: an idle provisioned sandbox of the version first,
    // then the most recently used idle on-demand one, then a new one.
    Placement place(const std::string& function, const std::string& version);

    // Provisioned concurrency: keep `count` sandboxes of the version initialized. Also tops up after a
    // provisioned sandbox is gone (call again with the same count).
    Provisioning set_provisioned(const std::string& function, const std::string& version, int count);
    int provisioned_target(const std::string& function, const std::string& version) const;
    // Provisioned sandboxes of the version that finished INIT (Allocated in the API).
    int provisioned_ready(const std::string& function, const std::string& version) const;
    // A sandbox made without an invocation (provisioned) finished INIT: it is idle now.
    void ready(SandboxId id);

    // The invocation on sandbox `id` is over. Returns false when the sandbox must be stopped instead of
    // kept warm (its function changed or went away, or it reached its maximum lifetime).
    bool finish(SandboxId id);
    // The sandbox is gone (timeout, crash, kill, reclaim). Its invocation, if any, stops counting.
    void remove_sandbox(SandboxId id);

    // Removes and returns the idle sandboxes whose lifetime is over; the caller stops them.
    std::vector<SandboxId> expire();
    std::optional<Time> next_expiry() const;
    // When an idle sandbox's lifetime ends (idle lifetime or maximum age, the earlier); nullopt if not idle.
    std::optional<Time> expiry_of(SandboxId id) const;

    int concurrency(const std::string& function) const;
    int account_concurrency() const { return account_in_flight_; }
    std::size_t sandbox_count(const std::string& function) const;
    std::optional<SandboxState> state(SandboxId id) const;
    bool is_provisioned(SandboxId id) const;
    // The function and version a sandbox belongs to.
    std::optional<std::pair<std::string, std::string>> owner(SandboxId id) const;
    // Whether `function` may reserve `concurrency` given the others' reservations and the unreserved minimum.
    bool can_reserve(const std::string& function, int concurrency) const;
    int unreserved_limit() const;

  private:
    struct SandboxEntry {
        std::string function;
        std::string version;
        std::uint64_t generation = 0;
        SandboxState state = SandboxState::initializing;
        Time created{};
        Time idle_until{};
        bool provisioned = false;
        bool counted = true;  // serving an invocation (in_flight); a provisioned INIT is not
    };
    struct FunctionEntry {
        FunctionPolicy policy;
        std::map<std::string, std::uint64_t> generations;  // by version
        std::map<std::string, int> provisioned;            // target by version
        int in_flight = 0;
        TokenBucket scaling;
        std::vector<SandboxId> idle;  // in the order they became idle (most recent last)
    };

    std::optional<ThrottleReason> concurrency_check(const FunctionEntry& fn) const;
    std::optional<SandboxId> take_idle(FunctionEntry& fn, const std::string& version, bool provisioned);
    std::uint64_t generation(const FunctionEntry& fn, const std::string& version) const;
    bool scaling_allows(FunctionEntry& fn);
    SandboxId add_sandbox(const FunctionEntry& fn, const std::string& function, const std::string& version,
                          bool provisioned);
    Time idle_deadline();
    Time end_of_life(const SandboxEntry& sandbox) const;
    bool past_max_lifetime(const SandboxEntry& sandbox) const;
    void count_out(const SandboxEntry& sandbox);
    // Adds (+1) or removes (-1) a function's policy and in-flight count from the account-wide totals.
    void tally(const FunctionEntry& fn, int sign);
    void drop_idle(FunctionEntry& fn, SandboxId id);

    const Clock& clock_;
    const Profile& profile_;
    std::mt19937_64 rng_;
    BurstLimit legacy_burst_;
    std::unordered_map<std::string, FunctionEntry> functions_;
    std::unordered_map<SandboxId, SandboxEntry> sandboxes_;
    SandboxId next_id_ = 1;
    int account_in_flight_ = 0;
    // Kept as invocations come and go so that each placement is O(1) however many functions exist.
    int unreserved_in_flight_ = 0;  // in flight in functions without reserved concurrency
    int reserved_total_ = 0;        // the sum of all reservations
};

}  // namespace lambdalab::model
