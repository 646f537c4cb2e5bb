#pragma once
// The runtime identifiers lambdalab accepts, and what kind of bootstrap each one needs.
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::control {

enum class RuntimeKind {
    custom,  // provided, provided.al2, provided.al2023: the function's own executable `bootstrap`
    python,  // runtimes/python/bootstrap.py under the host's python3
    node,    // runtimes/node/bootstrap.mjs under the host's node
};

struct RuntimeInfo {
    std::string_view id;
    RuntimeKind kind;
    std::string_view runtime_version;  // for INIT_START lines, e.g. "python:3.12.v40"
};

// nullptr for a runtime lambdalab cannot run.
const RuntimeInfo* find_runtime(std::string_view id);
std::vector<std::string_view> supported_runtimes();
inline bool is_managed(const RuntimeInfo& runtime) {
    return runtime.kind != RuntimeKind::custom;
}

}  // namespace lambdalab::control
