#include "api/request_target.hpp"

namespace lambdalab::api {

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<RequestTarget> parse_target(std::string_view target) {
    RequestTarget result;
    const auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    while (!path.empty()) {
        if (path.front() == '/') {
            path.remove_prefix(1);
            continue;
        }
        const auto slash = path.find('/');
        auto segment = percent_decode(path.substr(0, slash));
        if (!segment) return std::nullopt;
        result.segments.push_back(std::move(*segment));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash);
    }
    if (question != std::string_view::npos) {
        std::string_view query = target.substr(question + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            const auto eq = pair.find('=');
            auto key = percent_decode(pair.substr(0, eq), true);
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
            if (!key || !value) return std::nullopt;
            if (!key->empty()) result.query[*key] = *value;
            if (amp == std::string_view::npos) break;
            query.remove_prefix(amp + 1);
        }
    }
    return result;
}

}  // namespace lambdalab::api
