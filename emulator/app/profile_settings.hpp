#pragma once
// Every setting of a simulation profile, by name, so a user can override any of them
// (`serve --set cold_start.sandbox_boot_ms=0`) and every run can store the profile it used.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/profile.hpp"

namespace lambdalab::app {

// Sets one value. Throws std::invalid_argument naming the known keys for an unknown key or a bad value.
void apply_setting(model::Profile& profile, std::string_view key, std::string_view value);
// Applies "key=value" assignments in order.
void apply_settings(model::Profile& profile, const std::vector<std::string>& assignments);
// Every setting and its current value.
nlohmann::json describe(const model::Profile& profile);

}  // namespace lambdalab::app
