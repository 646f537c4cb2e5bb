#include "model/fleet.hpp"

#include <algorithm>

namespace lambdalab::model {

std::string_view to_string(ThrottleReason reason) {
    switch (reason) {
        case ThrottleReason::reserved_concurrency:
            return "ReservedFunctionConcurrentInvocationLimitExceeded";
        case ThrottleReason::account_concurrency:
            return "ConcurrentInvocationLimitExceeded";
        case ThrottleReason::scaling_rate:
            return "FunctionInvocationRateLimitExceeded";
    }
    return "ConcurrentInvocationLimitExceeded";
}

Fleet::Fleet(const Clock& clock, const Profile& profile, std::uint64_t seed)
    : clock_(clock),
      profile_(profile),
      rng_(seed),
      legacy_burst_(profile.scaling.legacy_burst, profile.scaling.legacy_increase_per_minute) {}

void Fleet::set_policy(const std::string& function, FunctionPolicy policy) {
    auto it = functions_.find(function);
    if (it == functions_.end()) {
        it = functions_
                 .emplace(function,
                          FunctionEntry{.policy = {},
                                        .generations = {},
                                        .provisioned = {},
                                        .in_flight = 0,
                                        .scaling = TokenBucket(profile_.scaling.bucket_capacity,
                                                               profile_.scaling.refill_per_second, clock_.now()),
                                        .idle = {}})
                 .first;
    } else {
        tally(it->second, -1);
    }
    it->second.policy = policy;
    tally(it->second, +1);
}

void Fleet::tally(const FunctionEntry& fn, int sign) {
    reserved_total_ += sign * fn.policy.reserved_concurrency.value_or(0);
    if (!fn.policy.reserved_concurrency) unreserved_in_flight_ += sign * fn.in_flight;
}

std::vector<SandboxId> Fleet::remove_function(const std::string& function) {
    auto it = functions_.find(function);
    if (it == functions_.end()) return {};
    std::vector<SandboxId> idle = std::move(it->second.idle);
    for (const SandboxId id : idle) sandboxes_.erase(id);
    // Provisioned sandboxes still in INIT are not idle yet: they go too.
    for (auto s = sandboxes_.begin(); s != sandboxes_.end();) {
        if (s->second.function == function && s->second.state == SandboxState::initializing && !s->second.counted) {
            idle.push_back(s->first);
            s = sandboxes_.erase(s);
        } else {
            ++s;
        }
    }
    // Its busy sandboxes still count toward the account until they finish, but no longer toward the
    // unreserved pool or a reservation.
    tally(it->second, -1);
    functions_.erase(it);
    return idle;
}

std::uint64_t Fleet::generation(const FunctionEntry& fn, const std::string& version) const {
    const auto it = fn.generations.find(version);
    return it == fn.generations.end() ? 0 : it->second;
}

std::vector<SandboxId> Fleet::invalidate(const std::string& function, const std::string& version) {
    auto it = functions_.find(function);
    if (it == functions_.end()) return {};
    FunctionEntry& fn = it->second;
    ++fn.generations[version];
    std::vector<SandboxId> stale;
    std::erase_if(fn.idle, [&](SandboxId id) {
        if (sandboxes_.at(id).version != version) return false;
        stale.push_back(id);
        return true;
    });
    for (auto s = sandboxes_.begin(); s != sandboxes_.end();) {
        if (s->second.function == function && s->second.version == version &&
            s->second.state == SandboxState::initializing && !s->second.counted) {
            stale.push_back(s->first);
            s = sandboxes_.erase(s);
        } else {
            ++s;
        }
    }
    for (const SandboxId id : stale) sandboxes_.erase(id);
    return stale;
}

int Fleet::unreserved_limit() const {
    return profile_.concurrency.account_limit - reserved_total_;
}

bool Fleet::can_reserve(const std::string& function, int concurrency) const {
    const auto own = functions_.find(function);
    const int others =
        reserved_total_ - (own == functions_.end() ? 0 : own->second.policy.reserved_concurrency.value_or(0));
    return concurrency >= 0 &&
           others + concurrency <= profile_.concurrency.account_limit - profile_.concurrency.unreserved_minimum;
}

std::optional<ThrottleReason> Fleet::concurrency_check(const FunctionEntry& fn) const {
    if (fn.policy.reserved_concurrency) {
        if (fn.in_flight >= *fn.policy.reserved_concurrency) return ThrottleReason::reserved_concurrency;
        return std::nullopt;
    }
    if (unreserved_in_flight_ >= unreserved_limit() || account_in_flight_ >= profile_.concurrency.account_limit) {
        return ThrottleReason::account_concurrency;
    }
    return std::nullopt;
}

std::optional<SandboxId> Fleet::take_idle(FunctionEntry& fn, const std::string& version, bool provisioned) {
    // Candidates: idle sandboxes of this version and of its current code and configuration.
    const std::uint64_t current = generation(fn, version);
    const auto matches = [&](SandboxId id) {
        const SandboxEntry& s = sandboxes_.at(id);
        return s.version == version && s.generation == current && s.provisioned == provisioned;
    };
    const auto take = [&](std::size_t index) {
        const SandboxId id = fn.idle[index];
        fn.idle.erase(fn.idle.begin() + static_cast<std::ptrdiff_t>(index));
        return id;
    };
    if (profile_.lifecycle.routing == Routing::most_recently_used) {
        // The common case, on every warm invocation: the last match in release order, found from the back.
        for (std::size_t i = fn.idle.size(); i-- > 0;) {
            if (matches(fn.idle[i])) return take(i);
        }
        return std::nullopt;
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < fn.idle.size(); ++i) {
        if (matches(fn.idle[i])) candidates.push_back(i);
    }
    if (candidates.empty()) return std::nullopt;
    std::size_t chosen = candidates.back();  // most recently used: idle is ordered by time of release
    switch (profile_.lifecycle.routing) {
        case Routing::most_recently_used:
            break;
        case Routing::newest_created:
            chosen = *std::max_element(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
                return sandboxes_.at(fn.idle[a]).created < sandboxes_.at(fn.idle[b]).created;
            });
            break;
        case Routing::random:
            chosen = candidates[std::uniform_int_distribution<std::size_t>(0, candidates.size() - 1)(rng_)];
            break;
    }
    return take(chosen);
}

bool Fleet::scaling_allows(FunctionEntry& fn) {
    switch (profile_.scaling.model) {
        case ScalingSettings::Model::unlimited:
            return true;
        case ScalingSettings::Model::per_function_rate:
            return fn.scaling.try_take(clock_.now());
        case ScalingSettings::Model::legacy_burst:
            return legacy_burst_.allows(account_in_flight_ + 1, clock_.now());
    }
    return true;
}

Placement Fleet::place(const std::string& function, const std::string& version) {
    FunctionEntry& fn = functions_.at(function);
    if (auto reason = concurrency_check(fn))
        return {.kind = Placement::Kind::throttled, .sandbox = 0, .reason = *reason};

    Placement placement;
    std::optional<SandboxId> idle;
    // Every provisioned sandbox has a target: set_provisioned turns the surplus into on-demand ones.
    if (!fn.provisioned.empty()) idle = take_idle(fn, version, /*provisioned=*/true);
    if (!idle) idle = take_idle(fn, version, false);
    if (idle) {
        SandboxEntry& sandbox = sandboxes_.at(*idle);
        sandbox.state = SandboxState::busy;
        sandbox.counted = true;
        placement = {.kind = Placement::Kind::warm, .sandbox = *idle, .reason = {}, .provisioned = sandbox.provisioned};
    } else {
        if (!scaling_allows(fn)) {
            const auto reason = profile_.scaling.model == ScalingSettings::Model::legacy_burst
                                    ? ThrottleReason::account_concurrency
                                    : ThrottleReason::scaling_rate;
            return {.kind = Placement::Kind::throttled, .sandbox = 0, .reason = reason};
        }
        placement = {.kind = Placement::Kind::cold, .sandbox = add_sandbox(fn, function, version, false), .reason = {}};
    }
    ++fn.in_flight;
    if (!fn.policy.reserved_concurrency) ++unreserved_in_flight_;
    ++account_in_flight_;
    return placement;
}

SandboxId Fleet::add_sandbox(const FunctionEntry& fn, const std::string& function, const std::string& version,
                             bool provisioned) {
    const SandboxId id = next_id_++;
    // A provisioned sandbox's INIT serves no invocation, so it does not count toward concurrency.
    sandboxes_.emplace(id, SandboxEntry{.function = function,
                                        .version = version,
                                        .generation = generation(fn, version),
                                        .state = SandboxState::initializing,
                                        .created = clock_.now(),
                                        .idle_until = {},
                                        .provisioned = provisioned,
                                        .counted = !provisioned});
    return id;
}

Time Fleet::idle_deadline() {
    Duration lifetime = profile_.lifecycle.idle_lifetime;
    const auto spread = profile_.lifecycle.idle_lifetime_spread.count();
    if (spread > 0) lifetime += Duration(std::uniform_int_distribution<Duration::rep>(-spread, spread)(rng_));
    return clock_.now() + std::max(Duration::zero(), profile_.scaled(lifetime));
}

bool Fleet::past_max_lifetime(const SandboxEntry& sandbox) const {
    const Duration max = profile_.lifecycle.max_lifetime;
    return max > Duration::zero() && clock_.now() - sandbox.created >= profile_.scaled(max);
}

void Fleet::count_out(const SandboxEntry& sandbox) {
    if (sandbox.state == SandboxState::idle || !sandbox.counted) return;
    --account_in_flight_;
    if (auto fn = functions_.find(sandbox.function); fn != functions_.end()) {
        --fn->second.in_flight;
        if (!fn->second.policy.reserved_concurrency) --unreserved_in_flight_;
    }
}

bool Fleet::finish(SandboxId id) {
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return false;
    SandboxEntry& sandbox = it->second;
    count_out(sandbox);
    auto fn = functions_.find(sandbox.function);
    if (fn == functions_.end() || sandbox.generation != generation(fn->second, sandbox.version) ||
        past_max_lifetime(sandbox)) {
        sandboxes_.erase(it);
        return false;
    }
    sandbox.state = SandboxState::idle;
    sandbox.counted = false;
    // Provisioned sandboxes stay initialized however long they idle.
    sandbox.idle_until = sandbox.provisioned ? Time::max() : idle_deadline();
    fn->second.idle.push_back(id);
    return true;
}

void Fleet::ready(SandboxId id) {
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end() || it->second.state != SandboxState::initializing || it->second.counted) return;
    it->second.state = SandboxState::idle;
    it->second.idle_until = Time::max();
    functions_.at(it->second.function).idle.push_back(id);
}

Provisioning Fleet::set_provisioned(const std::string& function, const std::string& version, int count) {
    FunctionEntry& fn = functions_.at(function);
    if (count > 0) {
        fn.provisioned[version] = count;
    } else {
        fn.provisioned.erase(version);
    }
    std::vector<SandboxId> existing;
    for (const auto& [id, s] : sandboxes_) {
        if (s.function == function && s.version == version && s.provisioned &&
            s.generation == generation(fn, version)) {
            existing.push_back(id);
        }
    }
    Provisioning plan;
    for (int i = static_cast<int>(existing.size()); i < count; ++i)
        plan.create.push_back(add_sandbox(fn, function, version, true));
    // Surplus: idle ones stop now; busy ones become on-demand sandboxes and age out as such.
    for (std::size_t i = static_cast<std::size_t>(std::max(0, count)); i < existing.size(); ++i) {
        SandboxEntry& s = sandboxes_.at(existing[i]);
        s.provisioned = false;
        if (s.state == SandboxState::idle) {
            drop_idle(fn, existing[i]);
            sandboxes_.erase(existing[i]);
            plan.stop.push_back(existing[i]);
        } else if (!s.counted) {
            sandboxes_.erase(existing[i]);
            plan.stop.push_back(existing[i]);
        }
    }
    return plan;
}

int Fleet::provisioned_target(const std::string& function, const std::string& version) const {
    const auto fn = functions_.find(function);
    if (fn == functions_.end()) return 0;
    const auto it = fn->second.provisioned.find(version);
    return it == fn->second.provisioned.end() ? 0 : it->second;
}

int Fleet::provisioned_ready(const std::string& function, const std::string& version) const {
    return static_cast<int>(std::count_if(sandboxes_.begin(), sandboxes_.end(), [&](const auto& entry) {
        const SandboxEntry& s = entry.second;
        return s.function == function && s.version == version && s.provisioned && s.state != SandboxState::initializing;
    }));
}

void Fleet::drop_idle(FunctionEntry& fn, SandboxId id) {
    fn.idle.erase(std::remove(fn.idle.begin(), fn.idle.end(), id), fn.idle.end());
}

void Fleet::remove_sandbox(SandboxId id) {
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return;
    count_out(it->second);
    if (auto fn = functions_.find(it->second.function); fn != functions_.end()) drop_idle(fn->second, id);
    sandboxes_.erase(it);
}

std::vector<SandboxId> Fleet::expire() {
    std::vector<SandboxId> expired;
    const Time now = clock_.now();
    for (auto& [name, fn] : functions_) {
        for (const SandboxId id : fn.idle) {
            if (now >= end_of_life(sandboxes_.at(id))) expired.push_back(id);
        }
    }
    for (const SandboxId id : expired) remove_sandbox(id);
    return expired;
}

Time Fleet::end_of_life(const SandboxEntry& sandbox) const {
    const Duration max = profile_.scaled(profile_.lifecycle.max_lifetime);
    return max > Duration::zero() ? std::min(sandbox.idle_until, sandbox.created + max) : sandbox.idle_until;
}

std::optional<Time> Fleet::next_expiry() const {
    std::optional<Time> next;
    for (const auto& [name, fn] : functions_) {
        for (const SandboxId id : fn.idle) {
            const Time t = end_of_life(sandboxes_.at(id));
            if (t != Time::max() && (!next || t < *next)) next = t;
        }
    }
    return next;
}

std::optional<Time> Fleet::expiry_of(SandboxId id) const {
    const auto it = sandboxes_.find(id);
    if (it == sandboxes_.end() || it->second.state != SandboxState::idle) return std::nullopt;
    const Time t = end_of_life(it->second);
    if (t == Time::max()) return std::nullopt;  // provisioned, with no maximum lifetime
    return t;
}

int Fleet::concurrency(const std::string& function) const {
    auto it = functions_.find(function);
    return it == functions_.end() ? 0 : it->second.in_flight;
}

std::size_t Fleet::sandbox_count(const std::string& function) const {
    return static_cast<std::size_t>(std::count_if(
        sandboxes_.begin(), sandboxes_.end(), [&](const auto& entry) { return entry.second.function == function; }));
}

bool Fleet::is_provisioned(SandboxId id) const {
    const auto it = sandboxes_.find(id);
    return it != sandboxes_.end() && it->second.provisioned;
}

std::optional<std::pair<std::string, std::string>> Fleet::owner(SandboxId id) const {
    const auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return std::nullopt;
    return std::make_pair(it->second.function, it->second.version);
}

std::optional<SandboxState> Fleet::state(SandboxId id) const {
    auto it = sandboxes_.find(id);
    if (it == sandboxes_.end()) return std::nullopt;
    return it->second.state;
}

}  // namespace lambdalab::model
