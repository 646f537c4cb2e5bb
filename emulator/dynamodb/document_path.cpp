#include "dynamodb/document_path.hpp"

#include <map>
#include <optional>

#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {

namespace {

// A typed value's map ({"M": {...}}) or list ({"L": [...]}), or nullptr.
const Json* container(const Json& value, const char* type) {
    if (!value.is_object()) return nullptr;
    const auto it = value.find(type);
    return it == value.end() ? nullptr : &*it;
}

Json* container(Json& value, const char* type) {
    return const_cast<Json*>(container(static_cast<const Json&>(value), type));
}

const Json* step(const Json& value, const PathElement& element) {
    if (element.is_index) {
        const Json* list = container(value, "L");
        return list && element.index < list->size() ? &(*list)[element.index] : nullptr;
    }
    const Json* map = container(value, "M");
    if (!map) return nullptr;
    const auto it = map->find(element.name);
    return it == map->end() ? nullptr : &*it;
}

// The value holding the last element of `path` (the item itself for a top-level attribute is
// handled by the callers).
Json* parent_of(Json& item, const DocumentPath& path) {
    DocumentPath parent{{path.elements.begin(), path.elements.end() - 1}};
    return const_cast<Json*>(find_value(item, parent));
}

struct ProjectionNode {
    bool whole = false;
    std::map<std::string, ProjectionNode> fields;
    std::map<std::size_t, ProjectionNode> items;
};

std::optional<Json> project_value(const Json& value, const ProjectionNode& node) {
    if (node.whole) return value;
    if (const Json* map = container(value, "M"); map && !node.fields.empty()) {
        Json out = Json::object();
        for (const auto& [name, child] : node.fields) {
            const auto it = map->find(name);
            if (it == map->end()) continue;
            if (auto projected = project_value(*it, child)) out[name] = std::move(*projected);
        }
        if (!out.empty()) return Json{{"M", std::move(out)}};
    }
    if (const Json* list = container(value, "L"); list && !node.items.empty()) {
        Json out = Json::array();
        for (const auto& [index, child] : node.items) {
            if (index >= list->size()) continue;
            if (auto projected = project_value((*list)[index], child)) out.push_back(std::move(*projected));
        }
        if (!out.empty()) return Json{{"L", std::move(out)}};
    }
    return std::nullopt;
}

}  // namespace

std::string DocumentPath::describe() const {
    std::string out = "[";
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i) out += ", ";
        if (elements[i].is_index) {
            out += '[';
            out += std::to_string(elements[i].index);
            out += ']';
        } else {
            out += elements[i].name;
        }
    }
    return out + "]";
}

const Json* find_value(const Json& item, const DocumentPath& path) {
    const auto top = item.find(path.attribute());
    if (top == item.end()) return nullptr;
    const Json* current = &*top;
    for (std::size_t i = 1; i < path.elements.size() && current; ++i) current = step(*current, path.elements[i]);
    return current;
}

bool set_value(Json& item, const DocumentPath& path, Json value) {
    if (path.elements.size() == 1) {
        item[path.attribute()] = std::move(value);
        return true;
    }
    Json* parent = parent_of(item, path);
    if (!parent) return false;
    const PathElement& last = path.elements.back();
    if (last.is_index) {
        Json* list = container(*parent, "L");
        if (!list) return false;
        if (last.index < list->size()) {
            (*list)[last.index] = std::move(value);
        } else {
            list->push_back(std::move(value));
        }
        return true;
    }
    Json* map = container(*parent, "M");
    if (!map) return false;
    (*map)[last.name] = std::move(value);
    return true;
}

void remove_value(Json& item, const DocumentPath& path) {
    if (path.elements.size() == 1) {
        item.erase(path.attribute());
        return;
    }
    Json* parent = parent_of(item, path);
    if (!parent) return;
    const PathElement& last = path.elements.back();
    if (last.is_index) {
        Json* list = container(*parent, "L");
        if (list && last.index < list->size()) list->erase(list->begin() + static_cast<std::ptrdiff_t>(last.index));
    } else if (Json* map = container(*parent, "M")) {
        map->erase(last.name);
    }
}

void check_paths_disjoint(const std::vector<DocumentPath>& paths, std::string_view expression) {
    for (std::size_t i = 0; i < paths.size(); ++i) {
        for (std::size_t j = i + 1; j < paths.size(); ++j) {
            const auto& a = paths[i].elements;
            const auto& b = paths[j].elements;
            const std::size_t common = std::min(a.size(), b.size());
            std::size_t k = 0;
            while (k < common && a[k] == b[k]) ++k;
            const std::string pair = "; must remove or rewrite one of these paths; path one: " + paths[i].describe() +
                                     ", path two: " + paths[j].describe();
            if (k == common) {
                throw_validation("Invalid " + std::string(expression) + ": Two document paths overlap with each other" +
                                 pair);
            }
            if (a[k].is_index != b[k].is_index) {
                throw_validation("Invalid " + std::string(expression) +
                                 ": Two document paths conflict with each other" + pair);
            }
        }
    }
}

Json project(const Json& item, const std::vector<DocumentPath>& paths) {
    ProjectionNode root;
    for (const auto& path : paths) {
        ProjectionNode* node = &root.fields[path.attribute()];
        for (std::size_t i = 1; i < path.elements.size(); ++i) {
            const auto& element = path.elements[i];
            node = element.is_index ? &node->items[element.index] : &node->fields[element.name];
        }
        node->whole = true;
    }
    Json out = Json::object();
    for (const auto& [name, node] : root.fields) {
        const auto it = item.find(name);
        if (it == item.end()) continue;
        if (auto projected = project_value(*it, node)) out[name] = std::move(*projected);
    }
    return out;
}

}  // namespace lambdalab::dynamodb
