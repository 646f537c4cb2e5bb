// Payload parameters of the C++ workloads: each reads its event as a JSON object of optional integers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace workloads {

// The event as a JSON object; an empty event (no payload) is {}.
inline nlohmann::json parse_payload(const std::string& event) {
    nlohmann::json payload = nlohmann::json::parse(event.empty() ? "{}" : event);
    if (!payload.is_object()) throw std::invalid_argument("the payload must be a JSON object");
    return payload;
}

// payload[name] if present, else `fallback`. Out-of-range or non-integer values are the caller's error
// (std::invalid_argument becomes the invocation's errorType), never a silently clamped run.
inline std::int64_t int_param(const nlohmann::json& payload, const char* name, std::int64_t fallback, std::int64_t min,
                              std::int64_t max) {
    const auto it = payload.find(name);
    if (it == payload.end() || it->is_null()) return fallback;
    if (!it->is_number_integer()) throw std::invalid_argument(std::string(name) + " must be an integer");
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max) {
        throw std::invalid_argument(std::string(name) + " must be between " + std::to_string(min) + " and " +
                                    std::to_string(max));
    }
    return value;
}

}  // namespace workloads
