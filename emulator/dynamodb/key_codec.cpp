#include "dynamodb/key_codec.hpp"

#include "dynamodb/decimal.hpp"

namespace lambdalab::dynamodb {

namespace {

std::string hex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 0xF];
    }
    return out;
}

// Exponents stay within [-130, 125], so the biased values below always have three digits.
void append_three_digits(std::string& out, long value) {
    out += static_cast<char>('0' + value / 100 % 10);
    out += static_cast<char>('0' + value / 10 % 10);
    out += static_cast<char>('0' + value % 10);
}

// Zero is "1". Positives are "2", the leading exponent + 500 in three digits, then the digits: a
// larger exponent sorts later, and with equal exponents the digits compare as decimals (no trailing
// zeros, so a prefix is the smaller). Negatives mirror it: "0", 499 - exponent, each digit
// complemented, then ':' (above every digit) so that -0.12 sorts after -0.123.
std::string encode_number(const std::string& text) {
    const Decimal number = *Decimal::parse(text);
    if (number.is_zero()) return "1";
    const long exponent = number.leading_exponent();
    std::string out;
    out.reserve(number.digits().size() + 5);
    if (!number.negative()) {
        out += '2';
        append_three_digits(out, exponent + 500);
        out += number.digits();
        return out;
    }
    out += '0';
    append_three_digits(out, 499 - exponent);
    for (const char c : number.digits()) out += static_cast<char>('9' - (c - '0'));
    out += ':';
    return out;
}

}  // namespace

std::string encode_key_value(const Json& value) {
    const Json& inner = value.begin().value();
    switch (type_of(value)) {
        case AttrType::N:
            return encode_number(inner.get<std::string>());
        case AttrType::B:
            return hex(binary_bytes(inner));
        default:
            return hex(inner.get<std::string>());
    }
}

std::string prefix_upper_bound(const std::string& prefix) {
    return prefix + "g";
}

}  // namespace lambdalab::dynamodb
