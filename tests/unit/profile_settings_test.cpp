#include "app/profile_settings.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lambdalab::app {
namespace {

TEST(ProfileSettings, BundledProfilesDiffer) {
    const auto current = model::bundled_profile("aws-2026");
    const auto legacy = model::bundled_profile("aws-2018-vpc");
    const auto none = model::bundled_profile("none");
    ASSERT_TRUE(current && legacy && none);
    EXPECT_FALSE(model::bundled_profile("aws-1999"));
    EXPECT_EQ(current->billing.granularity_ms, 1);
    EXPECT_EQ(legacy->billing.granularity_ms, 100);
    EXPECT_EQ(legacy->vpc.mode, model::VpcSettings::Mode::legacy_eni);
    EXPECT_EQ(legacy->scaling.model, model::ScalingSettings::Model::legacy_burst);
    EXPECT_EQ(none->cold_start.sandbox_boot, model::Duration::zero());
    EXPECT_EQ(current->cold_start.sandbox_boot, std::chrono::milliseconds(125));
}

TEST(ProfileSettings, AnyValueCanBeOverridden) {
    model::Profile profile = *model::bundled_profile("aws-2026");
    apply_settings(profile, {"cold_start.sandbox_boot_ms=0", "lifecycle.idle_lifetime_s=30", "scaling.model=unlimited",
                             "async.retry_delays_s=1,2.5", "billing.bill_init=false", "time_scale=10"});
    EXPECT_EQ(profile.cold_start.sandbox_boot, model::Duration::zero());
    EXPECT_EQ(profile.lifecycle.idle_lifetime, std::chrono::seconds(30));
    EXPECT_EQ(profile.scaling.model, model::ScalingSettings::Model::unlimited);
    ASSERT_EQ(profile.async.retry_delays.size(), 2u);
    EXPECT_EQ(profile.async.retry_delays[1], std::chrono::milliseconds(2500));
    EXPECT_FALSE(profile.billing.bill_init);
    EXPECT_EQ(profile.time_scale, 10);
}

TEST(ProfileSettings, BadSettingsNameTheProblem) {
    model::Profile profile;
    try {
        apply_setting(profile, "cpu.turbo", "1");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("unknown setting 'cpu.turbo'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("cpu.mb_per_vcpu"), std::string::npos);
    }
    EXPECT_THROW(apply_setting(profile, "cpu.mb_per_vcpu", "lots"), std::invalid_argument);
    EXPECT_THROW(apply_settings(profile, {"no-equals-sign"}), std::invalid_argument);
    EXPECT_THROW(apply_setting(profile, "scaling.model", "fast"), std::invalid_argument);
}

TEST(ProfileSettings, DescribeListsEverySettingWithItsValue) {
    model::Profile profile = *model::bundled_profile("aws-2018-vpc");
    const auto described = describe(profile);
    EXPECT_EQ(described["name"], "aws-2018-vpc");
    EXPECT_EQ(described["billing.granularity_ms"], 100);
    EXPECT_EQ(described["vpc.mode"], "legacy_eni");
    EXPECT_DOUBLE_EQ(described["cold_start.sandbox_boot_ms"].get<double>(), 125.0);
    model::Profile copy;
    for (const auto& [key, value] : described.items()) {
        if (key == "name") continue;
        std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        if (value.is_array()) {
            text.clear();
            for (const auto& item : value) text += (text.empty() ? "" : ",") + item.dump();
        }
        apply_setting(copy, key, text);
    }
    auto without_name = [](nlohmann::json j) {
        j.erase("name");
        return j;
    };
    EXPECT_EQ(without_name(describe(copy)), without_name(described));
}

}  // namespace
}  // namespace lambdalab::app
