#include "lab/json_path.hpp"

namespace lambdalab::lab {

using nlohmann::json;

const json* find_at(const json& node, std::initializer_list<const char*> path) {
    const json* at = &node;
    for (const char* key : path) {
        if (!at->is_object()) return nullptr;
        const auto it = at->find(key);
        if (it == at->end()) return nullptr;
        at = &*it;
    }
    return at;
}

std::optional<double> number_at(const json& node, std::initializer_list<const char*> path) {
    const json* at = find_at(node, path);
    if (!at || !at->is_number()) return std::nullopt;
    return at->get<double>();
}

json value_at(const json& node, std::initializer_list<const char*> path) {
    const json* at = find_at(node, path);
    return at ? *at : json(nullptr);
}

}  // namespace lambdalab::lab
