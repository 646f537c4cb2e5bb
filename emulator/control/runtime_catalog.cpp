#include "control/runtime_catalog.hpp"

#include <array>

namespace lambdalab::control {

namespace {
constexpr std::array kRuntimes = {
    RuntimeInfo{"provided.al2023", RuntimeKind::custom, ""},
    RuntimeInfo{"provided.al2", RuntimeKind::custom, ""},
    RuntimeInfo{"provided", RuntimeKind::custom, ""},
    RuntimeInfo{"python3.13", RuntimeKind::python, "python:3.13.v1"},
    RuntimeInfo{"python3.12", RuntimeKind::python, "python:3.12.v1"},
    RuntimeInfo{"python3.11", RuntimeKind::python, "python:3.11.v1"},
    RuntimeInfo{"python3.10", RuntimeKind::python, "python:3.10.v1"},
    RuntimeInfo{"python3.9", RuntimeKind::python, "python:3.9.v1"},
    RuntimeInfo{"nodejs22.x", RuntimeKind::node, "nodejs:22.v1"},
    RuntimeInfo{"nodejs20.x", RuntimeKind::node, "nodejs:20.v1"},
    RuntimeInfo{"nodejs18.x", RuntimeKind::node, "nodejs:18.v1"},
};
}  // namespace

const RuntimeInfo* find_runtime(std::string_view id) {
    for (const auto& runtime : kRuntimes) {
        if (runtime.id == id) return &runtime;
    }
    return nullptr;
}

std::vector<std::string_view> supported_runtimes() {
    std::vector<std::string_view> ids;
    for (const auto& runtime : kRuntimes) ids.push_back(runtime.id);
    return ids;
}

}  // namespace lambdalab::control
