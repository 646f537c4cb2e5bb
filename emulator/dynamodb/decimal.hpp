#pragma once
// DynamoDB's Number: an exact decimal of up to 38 significant digits and magnitudes from 1E-130 to
// 9.99..E+125, carried as text on the wire. Kept exact (never a double) so "10" > "9", "1.0" == "1"
// and 0.1 + 0.2 == 0.3, as on DynamoDB.
#include <optional>
#include <string>
#include <string_view>

namespace lambdalab::dynamodb {

class Decimal {
  public:
    Decimal() = default;  // zero

    // Any JSON-ish decimal: [+-]digits[.digits][e[+-]digits], ".5" and "5." too. nullopt when not a number.
    static std::optional<Decimal> parse(std::string_view text);

    // The canonical text DynamoDB answers with: plain notation, no exponent, no redundant zeros.
    std::string to_string() const;

    // The ValidationException message when the number is outside DynamoDB's range, else empty.
    std::string range_error() const;

    bool is_zero() const { return digits_.empty(); }
    bool negative() const { return negative_; }
    int significant_digits() const { return static_cast<int>(digits_.size()); }
    // The power of ten of the leading digit: 1 for 12.5, -2 for 0.0125. 0 for zero.
    long leading_exponent() const;

    // The significant digits, without leading or trailing zeros ("" for zero).
    const std::string& digits() const { return digits_; }

    int compare(const Decimal& other) const;
    bool operator==(const Decimal& other) const { return compare(other) == 0; }

    Decimal operator+(const Decimal& other) const;
    Decimal operator-(const Decimal& other) const;
    Decimal negated() const;

  private:
    void normalize();

    bool negative_ = false;
    std::string digits_;  // value = digits_ × 10^exponent_
    long exponent_ = 0;
};

}  // namespace lambdalab::dynamodb
