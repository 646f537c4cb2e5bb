#include "dynamodb/expression_inputs.hpp"

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {

namespace {

template <typename Map>
std::string unused_keys(const Map& defined, const std::set<std::string>& used) {
    std::string out;
    for (const auto& [key, ignored] : defined) {
        if (!used.contains(key)) out += (out.empty() ? "" : ", ") + key;
    }
    return out;
}

}  // namespace

ExpressionInputs::ExpressionInputs(const Json& request) {
    if (const auto names = request.find("ExpressionAttributeNames"); names != request.end() && !names->is_null()) {
        if (!names->is_object()) throw_serialization("Start of list found where not expected");
        if (names->empty()) throw_validation("ExpressionAttributeNames must not be empty");
        for (const auto& [key, name] : names->items()) {
            if (key.size() < 2 || key[0] != '#') {
                throw_validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
            }
            if (!name.is_string()) throw_serialization("Expected a string for ExpressionAttributeNames " + key);
            if (name.get_ref<const std::string&>().empty()) {
                throw_validation("ExpressionAttributeNames contains invalid value: Empty attribute name; key: " + key);
            }
            names_[key] = name.get<std::string>();
        }
    }
    if (const auto values = request.find("ExpressionAttributeValues"); values != request.end() && !values->is_null()) {
        if (!values->is_object()) throw_serialization("Start of list found where not expected");
        if (values->empty()) throw_validation("ExpressionAttributeValues must not be empty");
        for (const auto& [key, raw] : values->items()) {
            if (key.size() < 2 || key[0] != ':') {
                throw_validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
            }
            Json value = raw;
            try {
                validate_value(value);
            } catch (const DynamoException& e) {
                if (e.error().type != "ValidationException") throw;
                throw_validation("ExpressionAttributeValues contains invalid value: " + e.error().message +
                                 " for key " + key);
            }
            values_[key] = std::move(value);
        }
    }
}

const std::string& ExpressionInputs::name(const std::string& token, std::string_view expression) {
    const auto it = names_.find(token);
    if (it == names_.end()) {
        throw_validation(
            "Invalid " + std::string(expression) +
            ": An expression attribute name used in the document path is not defined; attribute name: " + token);
    }
    used_names_.insert(token);
    return it->second;
}

const Json& ExpressionInputs::value(const std::string& token, std::string_view expression) {
    const auto it = values_.find(token);
    if (it == values_.end()) {
        throw_validation(
            "Invalid " + std::string(expression) +
            ": An expression attribute value used in expression is not defined; attribute value: " + token);
    }
    used_values_.insert(token);
    return it->second;
}

void ExpressionInputs::check_all_used(bool any_expression) const {
    if (!any_expression && !names_.empty())
        throw_validation("ExpressionAttributeNames can only be specified when using expressions");
    if (!any_expression && !values_.empty())
        throw_validation("ExpressionAttributeValues can only be specified when using expressions");
    if (auto unused = unused_keys(names_, used_names_); !unused.empty()) {
        throw_validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + unused + "}");
    }
    if (auto unused = unused_keys(values_, used_values_); !unused.empty()) {
        throw_validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + unused + "}");
    }
}

}  // namespace lambdalab::dynamodb
