#include "dynamodb/latency.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace lambdalab::dynamodb {

namespace {

double number(std::string_view text, std::string_view whole) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < 0 || value > 60000) {
        throw std::invalid_argument("invalid DynamoDB latency '" + std::string(whole) +
                                    "': use none, MS or MS:JITTER (milliseconds, e.g. 4:1)");
    }
    return value;
}

std::string format(double ms) {
    std::string text = std::to_string(ms);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
}

}  // namespace

Latency Latency::parse(std::string_view text) {
    if (text == "none" || text == "off") return none();
    for (const std::string_view separator : {":", "\xC2\xB1", "+-"}) {  // "\xC2\xB1" is ±
        if (const auto at = text.find(separator); at != std::string_view::npos) {
            return Latency{number(text.substr(0, at), text), number(text.substr(at + separator.size()), text)};
        }
    }
    return Latency{number(text, text), 0};
}

std::chrono::microseconds Latency::sample(std::mt19937_64& random) const {
    if (!enabled()) return std::chrono::microseconds{0};
    std::uniform_real_distribution<double> spread(mean_ms - jitter_ms, mean_ms + jitter_ms);
    const double ms = std::max(0.0, jitter_ms > 0 ? spread(random) : mean_ms);
    return std::chrono::microseconds{static_cast<long long>(ms * 1000)};
}

std::string Latency::describe() const {
    if (!enabled()) return "none";
    return jitter_ms > 0 ? format(mean_ms) + "+-" + format(jitter_ms) + " ms" : format(mean_ms) + " ms";
}

}  // namespace lambdalab::dynamodb
