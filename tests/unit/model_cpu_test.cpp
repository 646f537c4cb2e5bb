#include <gtest/gtest.h>

#include "model/cpu.hpp"

namespace lambdalab::model {
namespace {

TEST(VcpuShare, IsMemoryOver1769CappedAtSix) {
    const CpuSettings settings;
    EXPECT_NEAR(vcpu_share(128, settings), 0.0724, 1e-4);
    EXPECT_DOUBLE_EQ(vcpu_share(1769, settings), 1.0);
    EXPECT_DOUBLE_EQ(vcpu_share(3538, settings), 2.0);
    EXPECT_NEAR(vcpu_share(10240, settings), 5.79, 1e-2);
    EXPECT_DOUBLE_EQ(vcpu_share(20000, settings), 6.0);
}

TEST(VisibleVcpus, FollowsTheMeasuredTable) {
    EXPECT_EQ(visible_vcpus(128), 2);
    EXPECT_EQ(visible_vcpus(3008), 2);
    EXPECT_EQ(visible_vcpus(3009), 3);
    EXPECT_EQ(visible_vcpus(5307), 3);
    EXPECT_EQ(visible_vcpus(5308), 4);
    EXPECT_EQ(visible_vcpus(7077), 5);
    EXPECT_EQ(visible_vcpus(8846), 6);
    EXPECT_EQ(visible_vcpus(10240), 6);
}

TEST(CpuLimit, At128MbIsAbout1447MicrosecondsPer20Milliseconds) {
    const CpuLimit limit = cpu_limit(128, CpuSettings{}, 2);
    EXPECT_EQ(limit.period_us, 20000);
    EXPECT_EQ(limit.quota_us, 1447);
    EXPECT_EQ(limit.cpus, 2);
    EXPECT_FALSE(limit.host_too_small);
}

TEST(CpuLimit, OnDemandInitIsBoostedToOneVcpu) {
    EXPECT_EQ(cpu_limit(128, CpuSettings{}, 2, /*boost_to_one_vcpu=*/true).quota_us, 20000);
    EXPECT_EQ(cpu_limit(3538, CpuSettings{}, 2, true).quota_us, 40000);
}

TEST(CpuLimit, CalibrationScalesTheShareAndStretchesThePeriodUnderOneMillisecond) {
    CpuSettings settings;
    settings.host_cores_per_vcpu = 0.5;
    const CpuLimit limit = cpu_limit(128, settings, 2);
    EXPECT_GE(limit.quota_us, 1000);
    EXPECT_NEAR(static_cast<double>(limit.quota_us) / static_cast<double>(limit.period_us), 0.5 * 128 / 1769.0, 1e-4);
}

TEST(CpuLimit, SaysWhenTheHostIsTooSmall) {
    const CpuLimit limit = cpu_limit(10240, CpuSettings{}, 2);
    EXPECT_EQ(limit.cpus, 2);
    EXPECT_TRUE(limit.host_too_small);
}

}  // namespace
}  // namespace lambdalab::model
