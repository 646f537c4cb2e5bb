#include <gtest/gtest.h>

#include "model/fleet.hpp"

namespace lambdalab::model {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class FleetTest : public ::testing::Test {
  protected:
    FleetTest() : fleet(clock, profile) { fleet.set_policy("f", {}); }

    SandboxId cold(const std::string& fn = "f") {
        const Placement p = fleet.place(fn, "$LATEST");
        EXPECT_EQ(p.kind, Placement::Kind::cold);
        return p.sandbox;
    }

    ManualClock clock;
    Profile profile;
    Fleet fleet;
};

TEST_F(FleetTest, FirstInvocationIsColdAndAFinishedSandboxIsReused) {
    const SandboxId id = cold();
    EXPECT_EQ(fleet.concurrency("f"), 1);
    EXPECT_TRUE(fleet.finish(id));
    EXPECT_EQ(fleet.concurrency("f"), 0);
    const Placement again = fleet.place("f", "$LATEST");
    EXPECT_EQ(again.kind, Placement::Kind::warm);
    EXPECT_EQ(again.sandbox, id);
}

TEST_F(FleetTest, ParallelInvocationsGetSeparateSandboxes) {
    const SandboxId a = cold();
    const SandboxId b = cold();
    EXPECT_NE(a, b);
    EXPECT_EQ(fleet.concurrency("f"), 2);
    EXPECT_EQ(fleet.sandbox_count("f"), 2u);
}

TEST_F(FleetTest, TheMostRecentlyUsedIdleSandboxIsTakenFirst) {
    const SandboxId a = cold();
    const SandboxId b = cold();
    const SandboxId c = cold();
    fleet.finish(b);
    clock.advance(seconds(1));
    fleet.finish(a);
    clock.advance(seconds(1));
    fleet.finish(c);
    EXPECT_EQ(fleet.place("f", "$LATEST").sandbox, c);
    EXPECT_EQ(fleet.place("f", "$LATEST").sandbox, a);
    EXPECT_EQ(fleet.place("f", "$LATEST").sandbox, b);
}

TEST_F(FleetTest, NewestCreatedRoutingPicksTheYoungestSandbox) {
    profile.lifecycle.routing = Routing::newest_created;
    const SandboxId a = cold();
    clock.advance(seconds(1));
    const SandboxId b = cold();
    fleet.finish(b);
    fleet.finish(a);  // a is the most recently used, b the newest
    EXPECT_EQ(fleet.place("f", "$LATEST").sandbox, b);
}

TEST_F(FleetTest, ReservedConcurrencyCapsTheFunction) {
    fleet.set_policy("f", {.reserved_concurrency = 2});
    cold();
    cold();
    const Placement p = fleet.place("f", "$LATEST");
    EXPECT_EQ(p.kind, Placement::Kind::throttled);
    EXPECT_EQ(to_string(p.reason), "ReservedFunctionConcurrentInvocationLimitExceeded");
}

TEST_F(FleetTest, ReservedZeroThrottlesEverything) {
    fleet.set_policy("f", {.reserved_concurrency = 0});
    EXPECT_EQ(fleet.place("f", "$LATEST").kind, Placement::Kind::throttled);
}

TEST_F(FleetTest, TheAccountLimitCapsUnreservedFunctionsButNotReservedOnes) {
    profile.concurrency.account_limit = 3;
    fleet.set_policy("reserved", {.reserved_concurrency = 1});
    fleet.set_policy("g", {});
    cold("f");
    cold("g");  // unreserved pool = 3 - 1 = 2
    const Placement p = fleet.place("f", "$LATEST");
    EXPECT_EQ(p.kind, Placement::Kind::throttled);
    EXPECT_EQ(to_string(p.reason), "ConcurrentInvocationLimitExceeded");
    EXPECT_EQ(fleet.place("reserved", "$LATEST").kind, Placement::Kind::cold);
}

TEST_F(FleetTest, ThePoolsFollowReservationsThatChangeWhileInvocationsRun) {
    profile.concurrency.account_limit = 4;
    fleet.set_policy("g", {});
    cold("f");
    cold("f");
    cold("g");
    cold("g");
    EXPECT_EQ(fleet.place("g", "$LATEST").kind, Placement::Kind::throttled);  // the pool of 4 is full
    // f's two invocations move into its own reservation of 2: the unreserved pool (4 - 2) holds g's two.
    fleet.set_policy("f", {.reserved_concurrency = 2});
    EXPECT_EQ(fleet.unreserved_limit(), 2);
    EXPECT_EQ(fleet.place("g", "$LATEST").kind, Placement::Kind::throttled);
    EXPECT_EQ(to_string(fleet.place("f", "$LATEST").reason), "ReservedFunctionConcurrentInvocationLimitExceeded");
    // Dropping the reservation brings f's invocations back into a pool of 4: full again.
    fleet.set_policy("f", {});
    EXPECT_EQ(fleet.unreserved_limit(), 4);
    EXPECT_EQ(fleet.place("g", "$LATEST").kind, Placement::Kind::throttled);
    // A forgotten function's busy sandboxes still count toward the account limit until they finish.
    fleet.remove_function("f");
    EXPECT_EQ(fleet.account_concurrency(), 4);
    EXPECT_EQ(fleet.place("g", "$LATEST").kind, Placement::Kind::throttled);
}

TEST_F(FleetTest, CanReserveKeepsTheUnreservedMinimum) {
    profile.concurrency.account_limit = 1000;
    EXPECT_TRUE(fleet.can_reserve("f", 900));
    EXPECT_FALSE(fleet.can_reserve("f", 901));
    fleet.set_policy("f", {.reserved_concurrency = 900});
    fleet.set_policy("g", {});
    EXPECT_FALSE(fleet.can_reserve("g", 1));
    EXPECT_TRUE(fleet.can_reserve("f", 900));  // its own reservation does not count against itself
}

TEST_F(FleetTest, TheScalingRateThrottlesBurstsOfNewSandboxes) {
    profile.scaling.bucket_capacity = 3;
    profile.scaling.refill_per_second = 1;
    Fleet small(clock, profile);
    small.set_policy("f", {});
    for (int i = 0; i < 3; ++i) EXPECT_EQ(small.place("f", "$LATEST").kind, Placement::Kind::cold);
    const Placement p = small.place("f", "$LATEST");
    EXPECT_EQ(p.kind, Placement::Kind::throttled);
    EXPECT_EQ(to_string(p.reason), "FunctionInvocationRateLimitExceeded");
    clock.advance(seconds(1));
    EXPECT_EQ(small.place("f", "$LATEST").kind, Placement::Kind::cold);
}

TEST_F(FleetTest, WarmReuseDoesNotSpendScalingTokens) {
    profile.scaling.bucket_capacity = 1;
    profile.scaling.refill_per_second = 0;
    Fleet small(clock, profile);
    small.set_policy("f", {});
    const SandboxId id = small.place("f", "$LATEST").sandbox;
    for (int i = 0; i < 10; ++i) {
        small.finish(id);
        EXPECT_EQ(small.place("f", "$LATEST").kind, Placement::Kind::warm);
    }
}

TEST_F(FleetTest, IdleSandboxesExpireAfterTheirLifetime) {
    const SandboxId id = cold();
    fleet.finish(id);
    ASSERT_TRUE(fleet.next_expiry());
    EXPECT_EQ(*fleet.next_expiry(), clock.now() + minutes(10));
    clock.advance(minutes(9));
    EXPECT_TRUE(fleet.expire().empty());
    clock.advance(minutes(1));
    EXPECT_EQ(fleet.expire(), std::vector<SandboxId>{id});
    EXPECT_EQ(fleet.place("f", "$LATEST").kind, Placement::Kind::cold);
}

TEST_F(FleetTest, ReuseRestartsTheIdleClock) {
    const SandboxId id = cold();
    fleet.finish(id);
    clock.advance(minutes(8));
    fleet.place("f", "$LATEST");
    fleet.finish(id);
    clock.advance(minutes(8));
    EXPECT_TRUE(fleet.expire().empty());
}

TEST_F(FleetTest, TheTimeScaleShortensLifetimes) {
    profile.time_scale = 60;  // ten minutes become ten seconds
    const SandboxId id = cold();
    fleet.finish(id);
    clock.advance(seconds(10));
    EXPECT_EQ(fleet.expire().size(), 1u);
}

TEST_F(FleetTest, SandboxesAreRecycledAfterTheirMaximumLifetime) {
    profile.lifecycle.max_lifetime = std::chrono::hours(4);
    const SandboxId id = cold();
    clock.advance(std::chrono::hours(4));
    EXPECT_FALSE(fleet.finish(id)) << "a sandbox past its maximum lifetime is not kept warm";
}

TEST_F(FleetTest, AChangeDiscardsIdleSandboxesAndRetiresBusyOnesWhenTheyFinish) {
    const SandboxId idle = cold();
    const SandboxId busy = cold();
    fleet.finish(idle);
    EXPECT_EQ(fleet.invalidate("f"), std::vector<SandboxId>{idle});
    EXPECT_FALSE(fleet.finish(busy));
    EXPECT_EQ(fleet.concurrency("f"), 0);
    EXPECT_EQ(fleet.place("f", "$LATEST").kind, Placement::Kind::cold);
}

TEST_F(FleetTest, ARemovedSandboxStopsCounting) {
    const SandboxId id = cold();
    fleet.remove_sandbox(id);
    EXPECT_EQ(fleet.concurrency("f"), 0);
    EXPECT_EQ(fleet.account_concurrency(), 0);
    EXPECT_FALSE(fleet.state(id));
}

TEST_F(FleetTest, VersionsDoNotShareSandboxes) {
    const SandboxId latest = cold();
    fleet.finish(latest);
    EXPECT_EQ(fleet.place("f", "1").kind, Placement::Kind::cold);
}

TEST_F(FleetTest, LegacyBurstScalingIsAccountWide) {
    profile.scaling.model = ScalingSettings::Model::legacy_burst;
    profile.scaling.legacy_burst = 2;
    profile.scaling.legacy_increase_per_minute = 1;
    Fleet legacy(clock, profile);
    legacy.set_policy("f", {});
    legacy.set_policy("g", {});
    EXPECT_EQ(legacy.place("f", "$LATEST").kind, Placement::Kind::cold);
    EXPECT_EQ(legacy.place("g", "$LATEST").kind, Placement::Kind::cold);
    const Placement p = legacy.place("f", "$LATEST");
    EXPECT_EQ(p.kind, Placement::Kind::throttled);
    EXPECT_EQ(to_string(p.reason), "ConcurrentInvocationLimitExceeded");
    clock.advance(minutes(1));
    EXPECT_EQ(legacy.place("f", "$LATEST").kind, Placement::Kind::cold);
}

}  // namespace
}  // namespace lambdalab::model

namespace lambdalab::model {
namespace {

class ProvisionedFleetTest : public ::testing::Test {
  protected:
    ProvisionedFleetTest() : fleet(clock, profile) { fleet.set_policy("f", {}); }
    ManualClock clock;
    Profile profile;
    Fleet fleet;
};

TEST_F(ProvisionedFleetTest, ProvisionedSandboxesAreCreatedAheadAndTakenFirst) {
    const Provisioning plan = fleet.set_provisioned("f", "1", 2);
    ASSERT_EQ(plan.create.size(), 2u);
    EXPECT_EQ(fleet.concurrency("f"), 0) << "INIT ahead of time serves no invocation";
    EXPECT_EQ(fleet.provisioned_ready("f", "1"), 0);
    for (const auto id : plan.create) fleet.ready(id);
    EXPECT_EQ(fleet.provisioned_ready("f", "1"), 2);

    // An idle on-demand sandbox of the same version exists too: provisioned ones still go first.
    const Placement on_demand = fleet.place("f", "1");
    ASSERT_EQ(on_demand.kind, Placement::Kind::warm);
    EXPECT_TRUE(on_demand.provisioned);
    const Placement second = fleet.place("f", "1");
    EXPECT_TRUE(second.provisioned);
    const Placement spill = fleet.place("f", "1");
    EXPECT_EQ(spill.kind, Placement::Kind::cold);
    EXPECT_FALSE(spill.provisioned);
    EXPECT_EQ(fleet.concurrency("f"), 3);
}

TEST_F(ProvisionedFleetTest, ProvisionedSandboxesNeverIdleOut) {
    const auto plan = fleet.set_provisioned("f", "1", 1);
    fleet.ready(plan.create[0]);
    const Placement p = fleet.place("f", "1");
    fleet.finish(p.sandbox);
    const Time created = clock.now();
    clock.advance(std::chrono::hours(3));
    EXPECT_TRUE(fleet.expire().empty());
    EXPECT_EQ(fleet.next_expiry(), created + std::chrono::hours(4)) << "only the forced recycle ends them";
    clock.advance(std::chrono::hours(1));
    EXPECT_EQ(fleet.expire(), std::vector<SandboxId>{plan.create[0]});
}

TEST_F(ProvisionedFleetTest, WithoutAMaximumLifetimeTheyLiveForever) {
    profile.lifecycle.max_lifetime = Duration::zero();
    const auto plan = fleet.set_provisioned("f", "1", 1);
    fleet.ready(plan.create[0]);
    clock.advance(std::chrono::hours(100));
    EXPECT_TRUE(fleet.expire().empty());
    EXPECT_FALSE(fleet.next_expiry());
}

TEST_F(ProvisionedFleetTest, LoweringTheTargetStopsIdleSurplusAndATopUpReplacesLosses) {
    const auto plan = fleet.set_provisioned("f", "1", 3);
    for (const auto id : plan.create) fleet.ready(id);
    EXPECT_EQ(fleet.set_provisioned("f", "1", 1).stop.size(), 2u);
    EXPECT_EQ(fleet.provisioned_ready("f", "1"), 1);
    const auto remaining = fleet.place("f", "1").sandbox;
    fleet.remove_sandbox(remaining);  // crashed
    EXPECT_EQ(fleet.set_provisioned("f", "1", 1).create.size(), 1u);
}

TEST_F(ProvisionedFleetTest, ABusySandboxOutlivingItsConfigurationCarriesOnAsOnDemand) {
    const auto plan = fleet.set_provisioned("f", "1", 1);
    fleet.ready(plan.create[0]);
    const Placement busy = fleet.place("f", "1");
    ASSERT_TRUE(busy.provisioned);
    EXPECT_TRUE(fleet.set_provisioned("f", "1", 0).stop.empty()) << "a busy sandbox finishes its invocation";
    EXPECT_TRUE(fleet.finish(busy.sandbox));
    const Placement next = fleet.place("f", "1");
    EXPECT_EQ(next.kind, Placement::Kind::warm);
    EXPECT_EQ(next.sandbox, busy.sandbox);
    EXPECT_FALSE(next.provisioned) << "billed on demand from now on";
    fleet.finish(next.sandbox);
    clock.advance(std::chrono::hours(1));
    EXPECT_EQ(fleet.expire(), std::vector<SandboxId>{busy.sandbox}) << "and it idles out like any other";
}

TEST_F(ProvisionedFleetTest, InvalidatingOneVersionKeepsTheOthersWarm) {
    const SandboxId latest = fleet.place("f", "$LATEST").sandbox;
    const SandboxId v1 = fleet.place("f", "1").sandbox;
    fleet.finish(latest);
    fleet.finish(v1);
    EXPECT_EQ(fleet.invalidate("f", "$LATEST"), std::vector<SandboxId>{latest});
    EXPECT_EQ(fleet.place("f", "1").sandbox, v1);
    EXPECT_EQ(fleet.place("f", "$LATEST").kind, Placement::Kind::cold);
}

}  // namespace
}  // namespace lambdalab::model
