#include "control/function_name.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace lambdalab::control {

namespace {

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// us-east-1, us-gov-west-1, eu-central-2 ...
bool looks_like_region(std::string_view s) {
    const auto first = s.find('-');
    const auto last = s.rfind('-');
    if (first != 2 || last == first || last + 2 != s.size()) return false;
    return std::isdigit(static_cast<unsigned char>(s.back())) != 0;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const auto pos = text.find(sep, start);
        parts.push_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) return parts;
        start = pos + 1;
    }
}

}  // namespace

bool is_valid_function_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), is_name_char);
}

bool is_valid_qualifier(std::string_view qualifier) {
    return qualifier == "$LATEST" || (!qualifier.empty() && qualifier.size() <= 128 &&
                                      std::all_of(qualifier.begin(), qualifier.end(), is_name_char));
}

std::optional<FunctionName> parse_function_name(std::string_view text) {
    if (text.empty() || text.size() > 170) return std::nullopt;
    const auto parts = split(text, ':');
    FunctionName result;
    std::size_t i = 0;
    if (parts[0] == "arn") {
        // arn:aws[-partition]:lambda:region:account:function:name[:qualifier]
        if (parts.size() < 7 || parts.size() > 8 || !parts[1].starts_with("aws") || parts[2] != "lambda" ||
            !looks_like_region(parts[3]) || parts[4].size() != 12 || !all_digits(parts[4]) || parts[5] != "function") {
            return std::nullopt;
        }
        result.region = parts[3];
        result.account = parts[4];
        i = 6;
    } else if (parts.size() >= 3 && parts[1] == "function") {
        // account:function:name[:qualifier]
        if (parts[0].size() != 12 || !all_digits(parts[0]) || parts.size() > 4) return std::nullopt;
        result.account = parts[0];
        i = 2;
    }
    if (parts.size() - i > 2) return std::nullopt;
    result.name = parts[i];
    if (result.name.empty() || !std::all_of(result.name.begin(), result.name.end(), is_name_char)) return std::nullopt;
    if (parts.size() - i == 2) {
        result.qualifier = parts[i + 1];
        if (!is_valid_qualifier(result.qualifier)) return std::nullopt;
    }
    return result;
}

}  // namespace lambdalab::control
