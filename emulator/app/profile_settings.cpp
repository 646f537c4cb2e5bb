#include "app/profile_settings.hpp"

#include <charconv>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace lambdalab::app {

namespace {

using model::Duration;
using model::Profile;

double to_number(std::string_view key, std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw std::invalid_argument("setting " + std::string(key) + ": '" + std::string(text) + "' is not a number");
    }
    return value;
}

bool to_bool(std::string_view key, std::string_view text) {
    if (text == "true" || text == "1") return true;
    if (text == "false" || text == "0") return false;
    throw std::invalid_argument("setting " + std::string(key) + ": '" + std::string(text) + "' is not true or false");
}

Duration ms(double value) {
    return model::from_ms(value);
}
double in_ms(Duration d) {
    return model::to_ms(d);
}

// A setting: how to read it into a profile and how to show it.
struct Setting {
    std::function<void(Profile&, std::string_view key, std::string_view value)> set;
    std::function<nlohmann::json(const Profile&)> get;
};

// A numeric field, read and written as a plain number.
#define LAMBDALAB_NUMBER(expr)                                                 \
    Setting {                                                                  \
        [](Profile& p, std::string_view k, std::string_view v) {               \
            expr = static_cast<std::decay_t<decltype(expr)>>(to_number(k, v)); \
        },                                                                     \
            [](const Profile& p) { return nlohmann::json(expr); }              \
    }
// A duration field, given in `unit` milliseconds (1000 for a key ending in _s).
#define LAMBDALAB_MILLIS(expr, unit)                                                                   \
    Setting {                                                                                          \
        [](Profile& p, std::string_view k, std::string_view v) { expr = ms(to_number(k, v) * unit); }, \
            [](const Profile& p) { return nlohmann::json(in_ms(expr) / unit); }                        \
    }

// A named value of an enum setting, as written in --set and shown by describe().
template <typename E>
using EnumNames = std::vector<std::pair<std::string_view, E>>;

template <typename E>
E parse_enum(std::string_view key, std::string_view text, const EnumNames<E>& names) {
    std::string choices;
    for (const auto& [name, value] : names) {
        if (name == text) return value;
        choices += (choices.empty() ? "" : ", ") + std::string(name);
    }
    throw std::invalid_argument("setting " + std::string(key) + ": one of " + choices);
}

template <typename E>
std::string_view enum_name(E value, const EnumNames<E>& names) {
    for (const auto& [name, candidate] : names) {
        if (candidate == value) return name;
    }
    return "unknown";
}

const EnumNames<model::ScalingSettings::Model> kScalingModels = {
    {"per_function_rate", model::ScalingSettings::Model::per_function_rate},
    {"legacy_burst", model::ScalingSettings::Model::legacy_burst},
    {"unlimited", model::ScalingSettings::Model::unlimited}};
const EnumNames<model::Routing> kRoutings = {{"most_recently_used", model::Routing::most_recently_used},
                                             {"newest_created", model::Routing::newest_created},
                                             {"random", model::Routing::random}};
const EnumNames<model::VpcSettings::Mode> kVpcModes = {{"hyperplane", model::VpcSettings::Mode::hyperplane},
                                                       {"legacy_eni", model::VpcSettings::Mode::legacy_eni}};

// An enum field, read and shown by the names of `names`.
#define LAMBDALAB_ENUM(expr, names)                                                                 \
    Setting {                                                                                       \
        [](Profile& p, std::string_view k, std::string_view v) { expr = parse_enum(k, v, names); }, \
            [](const Profile& p) { return nlohmann::json(std::string(enum_name(expr, names))); }    \
    }

const std::map<std::string, Setting, std::less<>>& settings() {
    static const std::map<std::string, Setting, std::less<>> table = {
        {"time_scale", LAMBDALAB_NUMBER(p.time_scale)},
        {"cpu.mb_per_vcpu", LAMBDALAB_NUMBER(p.cpu.mb_per_vcpu)},
        {"cpu.max_vcpus", LAMBDALAB_NUMBER(p.cpu.max_vcpus)},
        {"cpu.cfs_period_us", LAMBDALAB_NUMBER(p.cpu.cfs_period_us)},
        {"cpu.host_cores_per_vcpu", LAMBDALAB_NUMBER(p.cpu.host_cores_per_vcpu)},
        {"billing.granularity_ms", LAMBDALAB_NUMBER(p.billing.granularity_ms)},
        {"billing.bill_init",
         Setting{[](Profile& p, std::string_view k, std::string_view v) { p.billing.bill_init = to_bool(k, v); },
                 [](const Profile& p) { return nlohmann::json(p.billing.bill_init); }}},
        {"billing.price_per_gb_second_x86", LAMBDALAB_NUMBER(p.billing.price_per_gb_second_x86)},
        {"billing.price_per_gb_second_arm", LAMBDALAB_NUMBER(p.billing.price_per_gb_second_arm)},
        {"billing.price_per_request", LAMBDALAB_NUMBER(p.billing.price_per_request)},
        {"concurrency.account_limit", LAMBDALAB_NUMBER(p.concurrency.account_limit)},
        {"concurrency.unreserved_minimum", LAMBDALAB_NUMBER(p.concurrency.unreserved_minimum)},
        {"scaling.model", LAMBDALAB_ENUM(p.scaling.model, kScalingModels)},
        {"scaling.bucket_capacity", LAMBDALAB_NUMBER(p.scaling.bucket_capacity)},
        {"scaling.refill_per_second", LAMBDALAB_NUMBER(p.scaling.refill_per_second)},
        {"scaling.legacy_burst", LAMBDALAB_NUMBER(p.scaling.legacy_burst)},
        {"scaling.legacy_increase_per_minute", LAMBDALAB_NUMBER(p.scaling.legacy_increase_per_minute)},
        {"lifecycle.idle_lifetime_s", LAMBDALAB_MILLIS(p.lifecycle.idle_lifetime, 1000.0)},
        {"lifecycle.idle_lifetime_spread_s", LAMBDALAB_MILLIS(p.lifecycle.idle_lifetime_spread, 1000.0)},
        {"lifecycle.max_lifetime_s", LAMBDALAB_MILLIS(p.lifecycle.max_lifetime, 1000.0)},
        {"lifecycle.freeze_delay_ms", LAMBDALAB_MILLIS(p.lifecycle.freeze_delay, 1.0)},
        {"lifecycle.routing", LAMBDALAB_ENUM(p.lifecycle.routing, kRoutings)},
        {"cold_start.sandbox_boot_ms", LAMBDALAB_MILLIS(p.cold_start.sandbox_boot, 1.0)},
        {"cold_start.download_ms_per_mb", LAMBDALAB_NUMBER(p.cold_start.download_ms_per_mb)},
        {"cold_start.download_free_mb", LAMBDALAB_NUMBER(p.cold_start.download_free_mb)},
        {"cold_start.init_limit_ms", LAMBDALAB_MILLIS(p.cold_start.init_limit, 1.0)},
        {"cold_start.boost_on_demand_init",
         Setting{[](Profile& p, std::string_view k, std::string_view v) {
                     p.cold_start.boost_on_demand_init = to_bool(k, v);
                 },
                 [](const Profile& p) { return nlohmann::json(p.cold_start.boost_on_demand_init); }}},
        {"vpc.mode", LAMBDALAB_ENUM(p.vpc.mode, kVpcModes)},
        {"vpc.hyperplane_pending_s", LAMBDALAB_MILLIS(p.vpc.hyperplane_pending, 1000.0)},
        {"vpc.legacy_eni_setup_ms", LAMBDALAB_MILLIS(p.vpc.legacy_eni_setup, 1.0)},
        {"vpc.legacy_gb_per_eni", LAMBDALAB_NUMBER(p.vpc.legacy_gb_per_eni)},
        {"vpc.subnet_free_ips", LAMBDALAB_NUMBER(p.vpc.subnet_free_ips)},
        {"async.max_retries", LAMBDALAB_NUMBER(p.async.max_retries)},
        {"async.max_event_age_s", LAMBDALAB_MILLIS(p.async.max_event_age, 1000.0)},
        {"async.throttle_backoff_initial_ms", LAMBDALAB_MILLIS(p.async.throttle_backoff_initial, 1.0)},
        {"async.throttle_backoff_max_ms", LAMBDALAB_MILLIS(p.async.throttle_backoff_max, 1.0)},
        {"async.retry_delays_s", Setting{[](Profile& p, std::string_view k, std::string_view v) {
                                             p.async.retry_delays.clear();
                                             while (!v.empty()) {
                                                 const auto comma = v.find(',');
                                                 p.async.retry_delays.push_back(
                                                     ms(to_number(k, v.substr(0, comma)) * 1000.0));
                                                 if (comma == std::string_view::npos) break;
                                                 v.remove_prefix(comma + 1);
                                             }
                                         },
                                         [](const Profile& p) {
                                             nlohmann::json out = nlohmann::json::array();
                                             for (const auto d : p.async.retry_delays) out.push_back(in_ms(d) / 1000.0);
                                             return out;
                                         }}},
    };
    return table;
}

#undef LAMBDALAB_NUMBER
#undef LAMBDALAB_MILLIS
#undef LAMBDALAB_ENUM

}  // namespace

void apply_setting(Profile& profile, std::string_view key, std::string_view value) {
    const auto& table = settings();
    const auto it = table.find(key);
    if (it == table.end()) {
        std::string known;
        for (const auto& [name, setting] : table) known += (known.empty() ? "" : ", ") + name;
        throw std::invalid_argument("unknown setting '" + std::string(key) + "' (known: " + known + ")");
    }
    it->second.set(profile, key, value);
}

void apply_settings(Profile& profile, const std::vector<std::string>& assignments) {
    for (const auto& assignment : assignments) {
        const auto eq = assignment.find('=');
        if (eq == std::string::npos) throw std::invalid_argument("--set wants key=value, got '" + assignment + "'");
        apply_setting(profile, std::string_view(assignment).substr(0, eq), std::string_view(assignment).substr(eq + 1));
    }
}

nlohmann::json describe(const Profile& profile) {
    nlohmann::json out = {{"name", profile.name}};
    for (const auto& [name, setting] : settings()) out[name] = setting.get(profile);
    return out;
}

}  // namespace lambdalab::app
