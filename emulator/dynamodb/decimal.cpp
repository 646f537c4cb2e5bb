#include "dynamodb/decimal.hpp"

#include <algorithm>

namespace lambdalab::dynamodb {

namespace {

// The largest exponent we bother to represent; anything bigger is far outside DynamoDB's range
// and is reported as overflow or underflow rather than computed.
constexpr long kExponentClamp = 100000;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Magnitude arithmetic on unsigned decimal digit strings of equal length (most significant first).
std::string add_magnitudes(const std::string& a, const std::string& b) {
    std::string out(a.size() + 1, '0');
    int carry = 0;
    for (std::size_t i = a.size(); i-- > 0;) {
        const int sum = (a[i] - '0') + (b[i] - '0') + carry;
        out[i + 1] = static_cast<char>('0' + sum % 10);
        carry = sum / 10;
    }
    out[0] = static_cast<char>('0' + carry);
    return out;
}

// a - b with a >= b, equal lengths.
std::string subtract_magnitudes(const std::string& a, const std::string& b) {
    std::string out(a.size(), '0');
    int borrow = 0;
    for (std::size_t i = a.size(); i-- > 0;) {
        int diff = (a[i] - '0') - (b[i] - '0') - borrow;
        borrow = diff < 0 ? 1 : 0;
        if (diff < 0) diff += 10;
        out[i] = static_cast<char>('0' + diff);
    }
    return out;
}

// Compares magnitudes of normalized (digits, exponent) pairs.
int compare_magnitudes(const std::string& a_digits, long a_lead, const std::string& b_digits, long b_lead) {
    if (a_digits.empty() || b_digits.empty()) return a_digits.empty() ? (b_digits.empty() ? 0 : -1) : 1;
    if (a_lead != b_lead) return a_lead < b_lead ? -1 : 1;
    const int c = a_digits.compare(b_digits);  // no trailing zeros, so a shorter prefix is smaller
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
    std::size_t i = 0;
    Decimal out;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) out.negative_ = text[i++] == '-';
    std::string mantissa;
    long fraction_digits = 0;
    bool any_digit = false;
    while (i < text.size() && is_digit(text[i])) {
        mantissa += text[i++];
        any_digit = true;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && is_digit(text[i])) {
            mantissa += text[i++];
            ++fraction_digits;
            any_digit = true;
        }
    }
    if (!any_digit) return std::nullopt;
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool exponent_negative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
        if (i >= text.size() || !is_digit(text[i])) return std::nullopt;
        while (i < text.size() && is_digit(text[i])) {
            exponent = std::min(exponent * 10 + (text[i++] - '0'), kExponentClamp);
        }
        if (exponent_negative) exponent = -exponent;
    }
    if (i != text.size()) return std::nullopt;
    out.digits_ = std::move(mantissa);
    out.exponent_ = exponent - fraction_digits;
    out.normalize();
    return out;
}

void Decimal::normalize() {
    const auto first = digits_.find_first_not_of('0');
    if (first == std::string::npos) {
        digits_.clear();
        exponent_ = 0;
        negative_ = false;
        return;
    }
    digits_.erase(0, first);
    const auto last = digits_.find_last_not_of('0');
    exponent_ += static_cast<long>(digits_.size() - 1 - last);
    digits_.erase(last + 1);
    exponent_ = std::clamp(exponent_, -2 * kExponentClamp, 2 * kExponentClamp);
}

long Decimal::leading_exponent() const {
    return digits_.empty() ? 0 : exponent_ + static_cast<long>(digits_.size()) - 1;
}

std::string Decimal::range_error() const {
    if (is_zero()) return {};
    if (leading_exponent() > 125)
        return "Number overflow. Attempting to store a number with magnitude larger than supported range";
    if (leading_exponent() < -130)
        return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
    if (digits_.size() > 38) return "Attempting to store more than 38 significant digits in a Number";
    return {};
}

std::string Decimal::to_string() const {
    if (digits_.empty()) return "0";
    std::string out = negative_ ? "-" : "";
    if (exponent_ >= 0) return out + digits_ + std::string(static_cast<std::size_t>(exponent_), '0');
    const long integer_digits = static_cast<long>(digits_.size()) + exponent_;
    if (integer_digits > 0) {
        const auto split = static_cast<std::size_t>(integer_digits);
        return out + digits_.substr(0, split) + "." + digits_.substr(split);
    }
    return out + "0." + std::string(static_cast<std::size_t>(-integer_digits), '0') + digits_;
}

int Decimal::compare(const Decimal& other) const {
    if (negative_ != other.negative_) return negative_ ? -1 : 1;
    const int magnitude = compare_magnitudes(digits_, leading_exponent(), other.digits_, other.leading_exponent());
    return negative_ ? -magnitude : magnitude;
}

Decimal Decimal::negated() const {
    Decimal out = *this;
    if (!out.is_zero()) out.negative_ = !out.negative_;
    return out;
}

Decimal Decimal::operator+(const Decimal& other) const {
    if (is_zero()) return other;
    if (other.is_zero()) return *this;
    // Align both on the smaller exponent, then add or subtract the magnitudes as integers.
    const long exponent = std::min(exponent_, other.exponent_);
    std::string a = digits_ + std::string(static_cast<std::size_t>(exponent_ - exponent), '0');
    std::string b = other.digits_ + std::string(static_cast<std::size_t>(other.exponent_ - exponent), '0');
    const std::size_t width = std::max(a.size(), b.size());
    a.insert(0, width - a.size(), '0');
    b.insert(0, width - b.size(), '0');

    Decimal out;
    out.exponent_ = exponent;
    if (negative_ == other.negative_) {
        out.digits_ = add_magnitudes(a, b);
        out.negative_ = negative_;
    } else if (a >= b) {
        out.digits_ = subtract_magnitudes(a, b);
        out.negative_ = negative_;
    } else {
        out.digits_ = subtract_magnitudes(b, a);
        out.negative_ = other.negative_;
    }
    out.normalize();
    return out;
}

Decimal Decimal::operator-(const Decimal& other) const {
    return *this + other.negated();
}

}  // namespace lambdalab::dynamodb
