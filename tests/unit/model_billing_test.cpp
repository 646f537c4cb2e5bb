#include <gtest/gtest.h>

#include "model/billing.hpp"

namespace lambdalab::model {
namespace {

TEST(Bill, RoundsUpToTheMillisecond) {
    const Bill b = bill(BillingSettings{}, {.duration_ms = 79.67, .memory_mb = 128});
    EXPECT_EQ(b.billed_duration_ms, 80);
    EXPECT_EQ(bill(BillingSettings{}, {.duration_ms = 80.0, .memory_mb = 128}).billed_duration_ms, 80);
    EXPECT_EQ(bill(BillingSettings{}, {.duration_ms = 0.01, .memory_mb = 128}).billed_duration_ms, 1);
}

TEST(Bill, IncludesInitSinceAugust2025) {
    EXPECT_EQ(
        bill(BillingSettings{}, {.duration_ms = 10.2, .init_duration_ms = 174.92, .memory_mb = 128}).billed_duration_ms,
        186);
    BillingSettings legacy;
    legacy.bill_init = false;
    EXPECT_EQ(bill(legacy, {.duration_ms = 10.2, .init_duration_ms = 174.92, .memory_mb = 128, .managed_runtime = true})
                  .billed_duration_ms,
              11);
    // Custom runtimes always paid for INIT.
    EXPECT_EQ(
        bill(legacy, {.duration_ms = 10.2, .init_duration_ms = 174.92, .memory_mb = 128, .managed_runtime = false})
            .billed_duration_ms,
        186);
}

TEST(Bill, ReproducesTheOperatorGuidePrimesTable) {
    // 1000 invocations at 128 MB, 11.722 s each: $0.024628 (reference/perf-model.md §1.5 T1).
    const Bill b = bill(BillingSettings{}, {.duration_ms = 11722.0, .memory_mb = 128});
    EXPECT_NEAR(b.cost_usd * 1000, 0.024628, 0.024628 * 0.001);
    const Bill at1024 = bill(BillingSettings{}, {.duration_ms = 1465.0, .memory_mb = 1024});
    EXPECT_NEAR(at1024.cost_usd * 1000, 0.024638, 0.024638 * 0.001);
}

TEST(Bill, ArmIsCheaper) {
    const double x86 = bill(BillingSettings{}, {.duration_ms = 1000, .memory_mb = 1024}).cost_usd;
    const double arm =
        bill(BillingSettings{}, {.duration_ms = 1000, .memory_mb = 1024, .architecture = Architecture::arm64}).cost_usd;
    EXPECT_NEAR(x86, 0.0000166667 + 0.0000002, 1e-12);
    EXPECT_NEAR(arm, 0.0000133334 + 0.0000002, 1e-12);
}

TEST(Bill, LegacyHundredMillisecondGranularity) {
    BillingSettings legacy;
    legacy.granularity_ms = 100;
    EXPECT_EQ(bill(legacy, {.duration_ms = 101, .memory_mb = 128}).billed_duration_ms, 200);
    EXPECT_EQ(bill(legacy, {.duration_ms = 100, .memory_mb = 128}).billed_duration_ms, 100);
}

TEST(Architecture, ParsesLambdaNames) {
    EXPECT_EQ(parse_architecture("arm64"), Architecture::arm64);
    EXPECT_EQ(parse_architecture("x86_64"), Architecture::x86_64);
    EXPECT_FALSE(parse_architecture("sparc"));
}

}  // namespace
}  // namespace lambdalab::model
