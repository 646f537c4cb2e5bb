#include "dynamodb/expression_eval.hpp"

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/decimal.hpp"
#include "dynamodb/dynamo_error.hpp"

namespace lambdalab::dynamodb {

namespace {

[[noreturn]] void missing_attribute() {
    throw_validation("The provided expression refers to an attribute that does not exist in the item");
}

[[noreturn]] void wrong_data_type() {
    throw_validation("An operand in the update expression has an incorrect data type");
}

const std::string& text_of(const Json& value) {
    return value.begin().value().get_ref<const std::string&>();
}

bool compare(const std::string& op, const OperandValue& left, const OperandValue& right) {
    if (op == "=") return left && right && values_equal(*left, *right);
    if (op == "<>") return !(left && right && values_equal(*left, *right));
    if (!left || !right) return false;
    const auto order = compare_values(*left, *right);
    if (!order) return false;
    if (op == "<") return *order < 0;
    if (op == "<=") return *order <= 0;
    if (op == ">") return *order > 0;
    return *order >= 0;
}

bool begins_with(const OperandValue& subject, const OperandValue& prefix) {
    if (!subject || !prefix) return false;
    const AttrType type = type_of(*subject);
    if (type != type_of(*prefix) || (type != AttrType::S && type != AttrType::B)) return false;
    if (type == AttrType::S) return text_of(*subject).starts_with(text_of(*prefix));
    return binary_bytes(subject->begin().value()).starts_with(binary_bytes(prefix->begin().value()));
}

bool contains(const OperandValue& haystack, const OperandValue& needle) {
    if (!haystack || !needle) return false;
    const AttrType type = type_of(*haystack);
    const AttrType needle_type = type_of(*needle);
    const Json& members = haystack->begin().value();
    if (type == AttrType::S)
        return needle_type == AttrType::S && text_of(*haystack).find(text_of(*needle)) != std::string::npos;
    if (is_set(type)) {
        if (needle_type != member_type(type)) return false;
        for (const auto& member : members) {
            if (values_equal(Json{{std::string(type_name(needle_type)), member}}, *needle)) return true;
        }
        return false;
    }
    if (type == AttrType::L) {
        for (const auto& member : members) {
            if (values_equal(member, *needle)) return true;
        }
    }
    return false;
}

// size(): string and binary lengths in bytes, element counts for sets, lists and maps.
OperandValue size_of(const OperandValue& value) {
    if (!value) return {};
    const Json& inner = value->begin().value();
    std::size_t size = 0;
    switch (type_of(*value)) {
        case AttrType::S:
            size = inner.get_ref<const std::string&>().size();
            break;
        case AttrType::B:
            size = binary_bytes(inner).size();
            break;
        case AttrType::SS:
        case AttrType::NS:
        case AttrType::BS:
        case AttrType::L:
        case AttrType::M:
            size = inner.size();
            break;
        default:
            return {};
    }
    return OperandValue(Json{{"N", std::to_string(size)}});
}

OperandValue arithmetic(const Node& node, const Json& item) {
    const OperandValue left = evaluate_operand(node.args[0], item);
    const OperandValue right = evaluate_operand(node.args[1], item);
    if (!left || !right) missing_attribute();
    if (type_of(*left) != AttrType::N || type_of(*right) != AttrType::N) wrong_data_type();
    const Decimal a = *Decimal::parse(text_of(*left));
    const Decimal b = *Decimal::parse(text_of(*right));
    const Decimal result = node.op == "+" ? a + b : a - b;
    if (auto error = result.range_error(); !error.empty()) throw_validation(error);
    return OperandValue(Json{{"N", result.to_string()}});
}

OperandValue call(const Node& node, const Json& item) {
    if (node.op == "size") return size_of(evaluate_operand(node.args[0], item));
    if (node.op == "if_not_exists") {
        if (const Json* existing = find_value(item, node.args[0].path)) return OperandValue(existing);
        return evaluate_operand(node.args[1], item);
    }
    if (node.op == "list_append") {
        const OperandValue first = evaluate_operand(node.args[0], item);
        const OperandValue second = evaluate_operand(node.args[1], item);
        if (!first || !second) missing_attribute();
        if (type_of(*first) != AttrType::L || type_of(*second) != AttrType::L) wrong_data_type();
        Json joined = first->at("L");
        for (const auto& member : second->at("L")) joined.push_back(member);
        return OperandValue(Json{{"L", std::move(joined)}});
    }
    throw_validation("Invalid function name; function: " + node.op);
}

bool evaluate_call(const Node& node, const Json& item) {
    const std::string& op = node.op;
    if (op == "attribute_exists") return find_value(item, node.args[0].path) != nullptr;
    if (op == "attribute_not_exists") return find_value(item, node.args[0].path) == nullptr;
    const OperandValue first = evaluate_operand(node.args[0], item);
    const OperandValue second = evaluate_operand(node.args[1], item);
    if (op == "attribute_type") return first && second && type_name(type_of(*first)) == text_of(*second);
    if (op == "begins_with") return begins_with(first, second);
    if (op == "contains") return contains(first, second);
    throw_validation("The function is not allowed to be used this way in an expression; function: " + op);
}

}  // namespace

OperandValue evaluate_operand(const Node& operand, const Json& item) {
    switch (operand.kind) {
        case Node::Kind::Path: {
            const Json* found = find_value(item, operand.path);
            return found ? OperandValue(found) : OperandValue();
        }
        case Node::Kind::Value:
            return OperandValue(&operand.value);
        case Node::Kind::Call:
            return call(operand, item);
        case Node::Kind::Arithmetic:
            return arithmetic(operand, item);
        default:
            throw_validation("A condition cannot be used as an operand");
    }
}

bool evaluate_condition(const Node& condition, const Json& item) {
    switch (condition.kind) {
        case Node::Kind::And:
            return evaluate_condition(condition.args[0], item) && evaluate_condition(condition.args[1], item);
        case Node::Kind::Or:
            return evaluate_condition(condition.args[0], item) || evaluate_condition(condition.args[1], item);
        case Node::Kind::Not:
            return !evaluate_condition(condition.args[0], item);
        case Node::Kind::Compare:
            return compare(condition.op, evaluate_operand(condition.args[0], item),
                           evaluate_operand(condition.args[1], item));
        case Node::Kind::Between: {
            const OperandValue subject = evaluate_operand(condition.args[0], item);
            return compare(">=", subject, evaluate_operand(condition.args[1], item)) &&
                   compare("<=", subject, evaluate_operand(condition.args[2], item));
        }
        case Node::Kind::In: {
            const OperandValue subject = evaluate_operand(condition.args[0], item);
            for (std::size_t i = 1; i < condition.args.size(); ++i) {
                if (compare("=", subject, evaluate_operand(condition.args[i], item))) return true;
            }
            return false;
        }
        case Node::Kind::Call:
            return evaluate_call(condition, item);
        default:
            throw_validation("An operand cannot be used as a condition");
    }
}

}  // namespace lambdalab::dynamodb
