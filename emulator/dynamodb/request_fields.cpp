#include "dynamodb/request_fields.hpp"

#include <algorithm>
#include <cctype>

#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {

namespace {

std::string lower_first(std::string_view field) {
    std::string out(field);
    if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
    return out;
}

const Json* find(const Json& request, std::string_view field) {
    const auto it = request.find(field);
    return it == request.end() || it->is_null() ? nullptr : &*it;
}

[[noreturn]] void wrong_type(const Json& value, std::string_view expected) {
    std::string found = value.is_object() ? "Start of structure or map found where not expected"
                        : value.is_array()
                            ? "Start of list found where not expected"
                            : std::string(value.type_name()) + " can not be converted to " + std::string(expected);
    throw_serialization(found);
}

bool valid_name_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

}  // namespace

void throw_missing_field(std::string_view field) {
    throw_validation("1 validation error detected: Value null at '" + lower_first(field) +
                     "' failed to satisfy constraint: Member must not be null");
}

void throw_constraint(std::string_view field, const std::string& value, std::string_view constraint) {
    throw_validation("1 validation error detected: Value '" + value + "' at '" + lower_first(field) +
                     "' failed to satisfy constraint: " + std::string(constraint));
}

void check_table_name(const std::string& name, std::string_view field) {
    if (name.size() < 3 || name.size() > 255) {
        throw_validation(std::string(field) + " must be at least 3 characters long and at most 255 characters long");
    }
    if (!std::all_of(name.begin(), name.end(), valid_name_character)) {
        throw_constraint(field, name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
}

std::string table_name(const Json& request, std::string_view field) {
    const auto name = optional_string(request, field);
    if (!name) throw_missing_field(field);
    std::string out = *name;
    // Since 2024 DynamoDB accepts a table's ARN wherever it takes its name.
    if (out.starts_with("arn:") && out.find(":table/") != std::string::npos) out = out.substr(out.find(":table/") + 7);
    check_table_name(out, field);
    return out;
}

std::optional<std::string> optional_string(const Json& request, std::string_view field) {
    const Json* value = find(request, field);
    if (!value) return std::nullopt;
    if (!value->is_string()) wrong_type(*value, "String");
    return value->get<std::string>();
}

std::optional<bool> optional_bool(const Json& request, std::string_view field) {
    const Json* value = find(request, field);
    if (!value) return std::nullopt;
    if (!value->is_boolean()) wrong_type(*value, "Boolean");
    return value->get<bool>();
}

std::optional<std::int64_t> optional_integer(const Json& request, std::string_view field) {
    const Json* value = find(request, field);
    if (!value) return std::nullopt;
    if (value->is_number_integer()) return value->get<std::int64_t>();
    if (value->is_number_float()) return static_cast<std::int64_t>(value->get<double>());
    wrong_type(*value, "Integer");
}

const Json* optional_object(const Json& request, std::string_view field) {
    const Json* value = find(request, field);
    if (value && !value->is_object()) wrong_type(*value, "Map");
    return value;
}

const Json* optional_array(const Json& request, std::string_view field) {
    const Json* value = find(request, field);
    if (value && !value->is_array()) wrong_type(*value, "List");
    return value;
}

const Json& required_object(const Json& request, std::string_view field) {
    const Json* value = optional_object(request, field);
    if (!value) throw_missing_field(field);
    return *value;
}

std::optional<std::string> optional_enum(const Json& request, std::string_view field,
                                         const std::vector<std::string>& allowed) {
    auto value = optional_string(request, field);
    if (!value) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
        std::string set;
        for (const auto& option : allowed) set += (set.empty() ? "" : ", ") + option;
        throw_constraint(field, *value, "Member must satisfy enum value set: [" + set + "]");
    }
    return value;
}

}  // namespace lambdalab::dynamodb
