#include <gtest/gtest.h>

#include "model/billing.hpp"
#include "model/vpc.hpp"

namespace lambdalab::model {
namespace {

TEST(NetworkKey, IgnoresOrder) {
    EXPECT_EQ(network_key({"subnet-b", "subnet-a"}, {"sg-2", "sg-1"}),
              network_key({"subnet-a", "subnet-b"}, {"sg-1", "sg-2"}));
    EXPECT_NE(network_key({"subnet-a"}, {"sg-1"}), network_key({"subnet-a"}, {"sg-2"}));
}

TEST(VpcNetworks, HyperplaneInterfacesAreMadeOncePerCombination) {
    VpcSettings settings;
    VpcNetworks networks(settings);
    const auto key = network_key({"subnet-a"}, {"sg-1"});
    EXPECT_FALSE(networks.hyperplane_ready(key));
    networks.hyperplane_created(key);
    EXPECT_TRUE(networks.hyperplane_ready(key));
}

TEST(VpcNetworks, LegacyWorkersHoldThreeGigabytesAndEachNeedsAnIp) {
    VpcSettings settings;
    settings.subnet_free_ips = 2;
    VpcNetworks networks(settings);
    const auto key = network_key({"subnet-a"}, {"sg-1"});
    const auto first = networks.attach("f", key, 1, 1536);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->new_eni);
    const auto second = networks.attach("f", key, 1, 1536);  // fits on the same 3 GB worker
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->new_eni);
    EXPECT_EQ(second->worker, first->worker);
    const auto third = networks.attach("f", key, 1, 1536);  // a second worker, a second ENI
    ASSERT_TRUE(third);
    EXPECT_TRUE(third->new_eni);
    EXPECT_EQ(networks.free_ips(key, 1), 0);
    EXPECT_FALSE(networks.attach("f", key, 1, 3008)) << "no IP left for a third worker";
    networks.detach(third->worker, 1536);
    EXPECT_EQ(networks.free_ips(key, 1), 1) << "an empty worker gives its ENI back";
    EXPECT_EQ(networks.free_ips(key, 3), 5) << "more subnets, more IPs";
}

TEST(ProvisionedConcurrencyCost, IsBilledInFiveMinuteSteps) {
    const BillingSettings settings;
    // 10 x 1 GB for 1 s bills 300 s: 10 * 300 * $0.0000041667.
    EXPECT_NEAR(provisioned_concurrency_cost(settings, 10, 1024, 1, Architecture::x86_64), 0.0125001, 1e-6);
    EXPECT_NEAR(provisioned_concurrency_cost(settings, 1, 1024, 301, Architecture::x86_64), 600 * 0.0000041667, 1e-9);
}

TEST(Bill, ProvisionedInvocationsPayTheLowerDurationPrice) {
    const Bill on_demand = bill(BillingSettings{}, {.duration_ms = 1000, .memory_mb = 1024});
    const Bill provisioned = bill(BillingSettings{}, {.duration_ms = 1000, .memory_mb = 1024, .provisioned = true});
    EXPECT_NEAR(provisioned.cost_usd, 0.0000097222 + 0.0000002, 1e-12);
    EXPECT_LT(provisioned.cost_usd, on_demand.cost_usd);
}

}  // namespace
}  // namespace lambdalab::model
