#include "dynamodb/attribute_value.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <vector>

#include "common/base64.hpp"
#include "dynamodb/decimal.hpp"
#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {

namespace {

constexpr int kMaxNesting = 32;

struct TypeInfo {
    AttrType type;
    std::string_view name;
    std::string_view word;
};

constexpr std::array<TypeInfo, 10> kTypes = {{
    {AttrType::S, "S", "STRING"},
    {AttrType::N, "N", "NUMBER"},
    {AttrType::B, "B", "BINARY"},
    {AttrType::BOOL, "BOOL", "BOOLEAN"},
    {AttrType::Null, "NULL", "NULL"},
    {AttrType::M, "M", "MAP"},
    {AttrType::L, "L", "LIST"},
    {AttrType::SS, "SS", "STRING_SET"},
    {AttrType::NS, "NS", "NUMBER_SET"},
    {AttrType::BS, "BS", "BINARY_SET"},
}};

std::string_view json_kind(const Json& value) {
    switch (value.type()) {
        case Json::value_t::object:
            return "Start of structure or map found where not expected";
        case Json::value_t::array:
            return "Start of list found where not expected";
        case Json::value_t::string:
            return "STRING_VALUE can not be converted to the expected type";
        case Json::value_t::boolean:
            return "BOOLEAN_VALUE can not be converted to the expected type";
        case Json::value_t::null:
            return "NULL_VALUE can not be converted to the expected type";
        default:
            return "NUMBER_VALUE can not be converted to the expected type";
    }
}

void expect_json(const Json& value, Json::value_t type) {
    if (value.type() != type) throw_serialization(std::string(json_kind(value)));
}

std::string canonical_number(const Json& text) {
    expect_json(text, Json::value_t::string);
    const auto& raw = text.get_ref<const std::string&>();
    if (raw.empty()) throw_validation("The parameter cannot be converted to a numeric value");
    const auto number = Decimal::parse(raw);
    if (!number) throw_validation("The parameter cannot be converted to a numeric value: " + raw);
    if (auto error = number->range_error(); !error.empty()) throw_validation(error);
    return number->to_string();
}

std::string canonical_binary(const Json& text) {
    expect_json(text, Json::value_t::string);
    const auto& raw = text.get_ref<const std::string&>();
    const auto bytes = base64_decode(raw);
    if (!bytes) throw_serialization("'" + raw + "' can not be converted to a Blob: Invalid Base64 encoding");
    return base64_encode(*bytes);
}

std::string joined(const Json& members) {
    std::string out = "[";
    for (std::size_t i = 0; i < members.size(); ++i) out += (i ? ", " : "") + members[i].get<std::string>();
    return out + "]";
}

void validate_set(Json& members, AttrType type) {
    expect_json(members, Json::value_t::array);
    if (members.empty()) {
        if (type == AttrType::SS)
            throw_validation("One or more parameter values were invalid: An string set  may not be empty");
        if (type == AttrType::NS)
            throw_validation("One or more parameter values were invalid: An number set  may not be empty");
        throw_validation("One or more parameter values were invalid: Binary sets should not be empty");
    }
    std::set<std::string> seen;
    bool duplicate = false;
    for (auto& member : members) {
        expect_json(member, Json::value_t::string);
        if (type == AttrType::NS) member = canonical_number(member);
        if (type == AttrType::BS) member = canonical_binary(member);
        duplicate |= !seen.insert(member.get<std::string>()).second;
    }
    if (!duplicate) return;
    if (type == AttrType::SS)
        throw_validation("One or more parameter values were invalid: Input collection " + joined(members) +
                         " contains duplicates.");
    if (type == AttrType::NS) throw_validation("Input collection contains duplicates");
    throw_validation("One or more parameter values were invalid: Input collection " + joined(members) +
                     "of type BS contains duplicates.");
}

void validate(Json& value, int depth) {
    if (depth > kMaxNesting) throw_validation("Nesting Levels have exceeded supported limits");
    expect_json(value, Json::value_t::object);
    if (value.empty())
        throw_validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    if (value.size() > 1) {
        throw_validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
            "supported datatypes");
    }
    auto entry = value.begin();
    const auto type = type_from_name(entry.key());
    if (!type)
        throw_validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    Json& inner = entry.value();
    switch (*type) {
        case AttrType::S:
            expect_json(inner, Json::value_t::string);
            break;
        case AttrType::N:
            inner = canonical_number(inner);
            break;
        case AttrType::B:
            inner = canonical_binary(inner);
            break;
        case AttrType::BOOL:
            expect_json(inner, Json::value_t::boolean);
            break;
        case AttrType::Null:
            expect_json(inner, Json::value_t::boolean);
            if (!inner.get<bool>())
                throw_validation(
                    "One or more parameter values were invalid: Null attribute value types must have the "
                    "value of true");
            break;
        case AttrType::M:
            expect_json(inner, Json::value_t::object);
            for (auto& [name, member] : inner.items()) validate(member, depth + 1);
            break;
        case AttrType::L:
            expect_json(inner, Json::value_t::array);
            for (auto& member : inner) validate(member, depth + 1);
            break;
        case AttrType::SS:
        case AttrType::NS:
        case AttrType::BS:
            validate_set(inner, *type);
            break;
    }
}

std::size_t number_size(const std::string& text) {
    const auto number = Decimal::parse(text);
    return number ? static_cast<std::size_t>(number->significant_digits() + 1) / 2 + 1 : 1;
}

std::size_t base64_size(const std::string& text) {
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') ++padding;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
    return text.size() / 4 * 3 - padding;
}

bool sets_equal(const Json& a, const Json& b, AttrType type) {
    if (a.size() != b.size()) return false;
    std::vector<std::string> left, right;
    for (const auto& m : a)
        left.push_back(type == AttrType::NS ? Decimal::parse(m.get<std::string>())->to_string() : m.get<std::string>());
    for (const auto& m : b)
        right.push_back(type == AttrType::NS ? Decimal::parse(m.get<std::string>())->to_string()
                                             : m.get<std::string>());
    std::sort(left.begin(), left.end());
    std::sort(right.begin(), right.end());
    return left == right;
}

}  // namespace

AttrType type_of(const Json& value) {
    return *type_from_name(value.begin().key());
}

std::string_view type_name(AttrType type) {
    return kTypes[static_cast<std::size_t>(type)].name;
}

std::string_view type_word(AttrType type) {
    return kTypes[static_cast<std::size_t>(type)].word;
}

std::optional<AttrType> type_from_name(std::string_view name) {
    for (const auto& info : kTypes) {
        if (info.name == name) return info.type;
    }
    return std::nullopt;
}

bool is_set(AttrType type) {
    return type == AttrType::SS || type == AttrType::NS || type == AttrType::BS;
}

AttrType member_type(AttrType set_type) {
    return set_type == AttrType::NS ? AttrType::N : set_type == AttrType::BS ? AttrType::B : AttrType::S;
}

void validate_value(Json& value) {
    validate(value, 0);
}

void validate_item(Json& item, std::string_view parameter) {
    if (!item.is_object()) throw_serialization("Expected map or null for " + std::string(parameter));
    for (auto& [name, value] : item.items()) {
        if (name.empty())
            throw_validation("One or more parameter values were invalid: An attribute name may not be empty");
        validate(value, 0);
    }
}

bool values_equal(const Json& a, const Json& b) {
    const AttrType type = type_of(a);
    if (type != type_of(b)) return false;
    const Json& x = a.begin().value();
    const Json& y = b.begin().value();
    switch (type) {
        case AttrType::N:
            return Decimal::parse(x.get<std::string>()) == Decimal::parse(y.get<std::string>());
        case AttrType::SS:
        case AttrType::NS:
        case AttrType::BS:
            return sets_equal(x, y, type);
        case AttrType::M:
            if (x.size() != y.size()) return false;
            for (auto it = x.begin(); it != x.end(); ++it) {
                const auto other = y.find(it.key());
                if (other == y.end() || !values_equal(it.value(), other.value())) return false;
            }
            return true;
        case AttrType::L:
            if (x.size() != y.size()) return false;
            for (std::size_t i = 0; i < x.size(); ++i) {
                if (!values_equal(x[i], y[i])) return false;
            }
            return true;
        default:
            return x == y;
    }
}

std::optional<int> compare_values(const Json& a, const Json& b) {
    const AttrType type = type_of(a);
    if (type != type_of(b) || (type != AttrType::S && type != AttrType::N && type != AttrType::B)) return std::nullopt;
    const auto& x = a.begin().value().get_ref<const std::string&>();
    const auto& y = b.begin().value().get_ref<const std::string&>();
    int c = 0;
    switch (type) {
        case AttrType::S:
            c = x.compare(y);
            break;  // char_traits<char> compares as unsigned: UTF-8 byte order
        case AttrType::N:
            c = Decimal::parse(x)->compare(*Decimal::parse(y));
            break;
        case AttrType::B:
            c = binary_bytes(x).compare(binary_bytes(y));
            break;
        default:
            return std::nullopt;
    }
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string binary_bytes(const Json& base64_text) {
    return base64_decode(base64_text.get_ref<const std::string&>()).value_or(std::string{});
}

std::size_t value_size(const Json& value) {
    const Json& inner = value.begin().value();
    std::size_t size = 0;
    switch (type_of(value)) {
        case AttrType::S:
            return inner.get_ref<const std::string&>().size();
        case AttrType::N:
            return number_size(inner.get_ref<const std::string&>());
        case AttrType::B:
            return base64_size(inner.get_ref<const std::string&>());
        case AttrType::BOOL:
        case AttrType::Null:
            return 1;
        case AttrType::M:
            size = 3;
            for (auto it = inner.begin(); it != inner.end(); ++it) size += it.key().size() + value_size(it.value()) + 1;
            return size;
        case AttrType::L:
            size = 3;
            for (const auto& member : inner) size += value_size(member) + 1;
            return size;
        case AttrType::SS:
            for (const auto& member : inner) size += member.get_ref<const std::string&>().size();
            return size;
        case AttrType::NS:
            for (const auto& member : inner) size += number_size(member.get_ref<const std::string&>());
            return size;
        case AttrType::BS:
            for (const auto& member : inner) size += base64_size(member.get_ref<const std::string&>());
            return size;
    }
    return size;
}

std::size_t item_size(const Json& item) {
    std::size_t size = 0;
    for (auto it = item.begin(); it != item.end(); ++it) size += it.key().size() + value_size(it.value());
    return size;
}

}  // namespace lambdalab::dynamodb
