#pragma once
// Document paths into an item (a.b[2].c): finding, setting and removing the value at a path,
// DynamoDB's overlap rules for several paths, and projecting an item onto paths.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::dynamodb {

using Json = nlohmann::json;

struct PathElement {
    std::string name;       // a map key, when !is_index
    std::size_t index = 0;  // a list position, when is_index
    bool is_index = false;

    bool operator==(const PathElement&) const = default;
};

struct DocumentPath {
    std::vector<PathElement> elements;  // the first is always a name: the top-level attribute

    const std::string& attribute() const { return elements.front().name; }
    // As DynamoDB prints paths in its errors: "[a, b, [0]]".
    std::string describe() const;
};

// The value at `path`, or nullptr when any step is missing or of the wrong kind.
const Json* find_value(const Json& item, const DocumentPath& path);

// Sets the value at `path`; a list index past the end appends, as on DynamoDB. False when the
// parent does not exist or is not a map (for a key) or a list (for an index).
bool set_value(Json& item, const DocumentPath& path, Json value);

// Removes the value at `path` if there is one (later list elements move up).
void remove_value(Json& item, const DocumentPath& path);

// Throws ValidationException ("Invalid <expression>: Two document paths overlap ...") when one path
// is a prefix of another or two paths use the same step as both a key and an index.
void check_paths_disjoint(const std::vector<DocumentPath>& paths, std::string_view expression);

// The parts of `item` the paths name (ProjectionExpression, ReturnValues UPDATED_*). Selected
// list elements keep their order and close up, as DynamoDB returns them.
Json project(const Json& item, const std::vector<DocumentPath>& paths);

}  // namespace lambdalab::dynamodb
