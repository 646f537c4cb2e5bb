#include "dynamodb/expression_parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include "dynamodb/attribute_value.hpp"
#include "dynamodb/dynamo_error.hpp"
#include "dynamodb/reserved_words.hpp"

namespace lambdalab::dynamodb {

namespace {

struct Token {
    enum class Kind { Identifier, NameRef, ValueRef, Number, Symbol, End };
    Kind kind = Kind::End;
    std::string text;
};

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

constexpr std::size_t kMaxExpressionBytes = 4096;

enum class FunctionRole { Condition, ConditionOperand, UpdateOperand };

struct FunctionInfo {
    std::string_view name;
    FunctionRole role;
    std::size_t arity;
};

constexpr FunctionInfo kFunctions[] = {
    {"attribute_exists", FunctionRole::Condition, 1},  {"attribute_not_exists", FunctionRole::Condition, 1},
    {"attribute_type", FunctionRole::Condition, 2},    {"begins_with", FunctionRole::Condition, 2},
    {"contains", FunctionRole::Condition, 2},          {"size", FunctionRole::ConditionOperand, 1},
    {"if_not_exists", FunctionRole::UpdateOperand, 2}, {"list_append", FunctionRole::UpdateOperand, 2},
};

const FunctionInfo* find_function(std::string_view name) {
    for (const auto& info : kFunctions) {
        if (info.name == name) return &info;
    }
    return nullptr;
}

std::string describe_value(const Json& value) {
    const Json& inner = value.begin().value();
    return "{" + value.begin().key() + ":" + (inner.is_string() ? inner.get<std::string>() : inner.dump()) + "}";
}

class Parser {
  public:
    Parser(std::string_view text, ExpressionInputs& inputs, std::string_view expression)
        : inputs_(inputs), expression_(expression) {
        // DynamoDB's limit; it also bounds how deep the recursive descent can go.
        if (text.size() > kMaxExpressionBytes) {
            fail("Expression size has exceeded the maximum allowed size; expression size: " +
                 std::to_string(text.size()));
        }
        tokenize(text);
        if (tokens_.size() == 1) fail("The expression can not be empty;");
    }

    Node whole_condition() {
        Node node = condition();
        expect_end();
        return node;
    }

    UpdateExpression whole_update() {
        UpdateExpression update;
        std::vector<std::string> seen;
        while (peek().kind != Token::Kind::End) {
            const Token& keyword = peek();
            std::optional<UpdateAction::Kind> kind;
            for (const auto& [word, k] :
                 {std::pair{"SET", UpdateAction::Kind::Set}, std::pair{"REMOVE", UpdateAction::Kind::Remove},
                  std::pair{"ADD", UpdateAction::Kind::Add}, std::pair{"DELETE", UpdateAction::Kind::Delete}}) {
                if (keyword.kind == Token::Kind::Identifier && equals_ignoring_case(keyword.text, word)) {
                    kind = k;
                    if (std::find(seen.begin(), seen.end(), word) != seen.end()) {
                        fail(std::string("The \"") + word +
                             "\" section can only be used once in an update expression;");
                    }
                    seen.emplace_back(word);
                }
            }
            if (!kind) syntax_error();
            advance();
            do {
                update.actions.push_back(update_action(*kind));
            } while (accept_symbol(","));
        }
        return update;
    }

    std::vector<DocumentPath> whole_projection() {
        std::vector<DocumentPath> paths;
        do {
            paths.push_back(path());
        } while (accept_symbol(","));
        expect_end();
        check_paths_disjoint(paths, expression_);
        return paths;
    }

  private:
    void tokenize(std::string_view text) {
        std::size_t i = 0;
        while (i < text.size()) {
            const char c = text[i];
            if (std::isspace(static_cast<unsigned char>(c))) {
                ++i;
                continue;
            }
            Token token;
            const std::size_t start = i;
            if (c == '#' || c == ':') {
                ++i;
                while (i < text.size() && is_word_char(text[i])) ++i;
                token.kind = c == '#' ? Token::Kind::NameRef : Token::Kind::ValueRef;
                if (i == start + 1) lexical_error(text.substr(start, 1));
            } else if (std::isdigit(static_cast<unsigned char>(c))) {
                while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
                token.kind = Token::Kind::Number;
            } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
                while (i < text.size() && is_word_char(text[i])) ++i;
                token.kind = Token::Kind::Identifier;
            } else {
                token.kind = Token::Kind::Symbol;
                const std::string_view two = text.substr(i, 2);
                if (two == "<>" || two == "<=" || two == ">=") {
                    i += 2;
                } else if (std::string_view("()[],.=<>+-").find(c) != std::string_view::npos) {
                    ++i;
                } else {
                    lexical_error(text.substr(i, 1));
                }
            }
            token.text = std::string(text.substr(start, i - start));
            tokens_.push_back(std::move(token));
        }
        tokens_.push_back(Token{Token::Kind::End, "<EOF>"});
    }

    [[noreturn]] void lexical_error(std::string_view character) {
        const std::string near =
            tokens_.empty() ? std::string(character) : tokens_.back().text + std::string(character);
        fail("Syntax error; token: \"" + std::string(character) + "\", near: \"" + near + "\"");
    }

    [[noreturn]] void fail(const std::string& message) {
        throw_validation("Invalid " + std::string(expression_) + ": " + message);
    }

    [[noreturn]] void syntax_error() {
        const Token& token = peek();
        std::string near = position_ > 0 ? tokens_[position_ - 1].text : "";
        if (token.kind != Token::Kind::End) near += (near.empty() ? "" : " ") + token.text;
        fail("Syntax error; token: \"" + token.text + "\", near: \"" + near + "\"");
    }

    const Token& peek(std::size_t ahead = 0) const { return tokens_[std::min(position_ + ahead, tokens_.size() - 1)]; }
    void advance() {
        if (position_ + 1 < tokens_.size()) ++position_;
    }
    bool is_symbol(std::string_view symbol, std::size_t ahead = 0) const {
        return peek(ahead).kind == Token::Kind::Symbol && peek(ahead).text == symbol;
    }
    bool accept_symbol(std::string_view symbol) {
        if (!is_symbol(symbol)) return false;
        advance();
        return true;
    }
    void expect_symbol(std::string_view symbol) {
        if (!accept_symbol(symbol)) syntax_error();
    }
    bool accept_keyword(std::string_view keyword) {
        if (peek().kind != Token::Kind::Identifier || !equals_ignoring_case(peek().text, keyword)) return false;
        advance();
        return true;
    }
    void expect_end() {
        if (peek().kind != Token::Kind::End) syntax_error();
    }

    // --- paths and operands ---

    std::string attribute_name() {
        const Token& token = peek();
        if (token.kind == Token::Kind::NameRef) {
            std::string name = inputs_.name(token.text, expression_);
            advance();
            return name;
        }
        if (token.kind != Token::Kind::Identifier) syntax_error();
        if (is_reserved_word(token.text)) fail("Attribute name is a reserved keyword; reserved keyword: " + token.text);
        std::string name = token.text;
        advance();
        return name;
    }

    DocumentPath path() {
        DocumentPath out;
        out.elements.push_back(PathElement{attribute_name(), 0, false});
        while (true) {
            if (accept_symbol(".")) {
                out.elements.push_back(PathElement{attribute_name(), 0, false});
            } else if (accept_symbol("[")) {
                if (peek().kind != Token::Kind::Number) syntax_error();
                const std::string digits = peek().text;
                if (digits.size() > 9) fail("List index is out of range; index: " + digits);
                out.elements.push_back(PathElement{{}, std::stoul(digits), true});
                advance();
                expect_symbol("]");
            } else {
                return out;
            }
        }
    }

    Node value_node() {
        Node node{Node::Kind::Value, {}, inputs_.value(peek().text, expression_), {}, {}};
        advance();
        return node;
    }

    Node path_node() { return Node{Node::Kind::Path, path(), {}, {}, {}}; }

    bool at_function() const { return peek().kind == Token::Kind::Identifier && is_symbol("(", 1); }

    // An operand of a comparison: a path, a :value or size(path).
    Node condition_operand() {
        if (peek().kind == Token::Kind::ValueRef) return value_node();
        if (at_function()) return call(FunctionRole::ConditionOperand);
        if (peek().kind == Token::Kind::Identifier || peek().kind == Token::Kind::NameRef) return path_node();
        syntax_error();
    }

    // An operand in SET: a path, a :value, if_not_exists(...) or list_append(...).
    Node update_operand() {
        if (peek().kind == Token::Kind::ValueRef) return value_node();
        if (at_function()) return call(FunctionRole::UpdateOperand);
        if (peek().kind == Token::Kind::Identifier || peek().kind == Token::Kind::NameRef) return path_node();
        syntax_error();
    }

    Node call(FunctionRole role) {
        const std::string name = peek().text;
        const FunctionInfo* info = find_function(name);
        if (!info) fail("Invalid function name; function: " + name);
        if (info->role != role) {
            if (role != FunctionRole::UpdateOperand && info->role == FunctionRole::UpdateOperand) {
                fail("The function is not allowed in a condition expression; function: " + name);
            }
            fail("The function is not allowed to be used this way in an expression; function: " + name);
        }
        advance();
        expect_symbol("(");
        Node node{Node::Kind::Call, {}, {}, name, {}};
        if (!is_symbol(")")) {
            do {
                node.args.push_back(role == FunctionRole::UpdateOperand ? update_operand() : condition_operand());
            } while (accept_symbol(","));
        }
        expect_symbol(")");
        if (node.args.size() != info->arity) {
            fail("Incorrect number of operands for operator or function; operator or function: " + name +
                 ", number of operands: " + std::to_string(node.args.size()));
        }
        check_call(node);
        return node;
    }

    void require_path(const Node& node, const Node& arg) {
        if (arg.kind != Node::Kind::Path)
            fail("Operator or function requires a document path; operator or function: " + node.op);
    }

    void require_value_type(const std::string& op, const Node& arg, std::initializer_list<AttrType> allowed) {
        if (arg.kind != Node::Kind::Value) return;
        const AttrType type = type_of(arg.value);
        if (std::find(allowed.begin(), allowed.end(), type) != allowed.end()) return;
        fail("Incorrect operand type for operator or function; operator or function: " + op +
             ", operand type: " + std::string(type_word(type)));
    }

    // The checks DynamoDB makes before looking at any item.
    void check_call(const Node& node) {
        const std::string& op = node.op;
        if (op == "attribute_exists" || op == "attribute_not_exists" || op == "size") require_path(node, node.args[0]);
        if (op == "if_not_exists") require_path(node, node.args[0]);
        if (op == "attribute_type") {
            require_path(node, node.args[0]);
            require_value_type(op, node.args[1], {AttrType::S});
            if (node.args[1].kind == Node::Kind::Value) {
                const auto& type = node.args[1].value.begin().value().get_ref<const std::string&>();
                if (!type_from_name(type)) {
                    fail("Invalid attribute type name found; type: " + type +
                         ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }");
                }
            }
        }
        if (op == "begins_with") {
            require_value_type(op, node.args[0], {AttrType::S, AttrType::B});
            require_value_type(op, node.args[1], {AttrType::S, AttrType::B});
        }
        if (op == "list_append") {
            require_value_type(op, node.args[0], {AttrType::L});
            require_value_type(op, node.args[1], {AttrType::L});
        }
    }

    // --- conditions: OR < AND < NOT < comparisons, BETWEEN, IN, functions, parentheses ---

    Node condition() {
        Node left = conjunction();
        while (accept_keyword("OR")) left = Node{Node::Kind::Or, {}, {}, {}, {std::move(left), conjunction()}};
        return left;
    }

    Node conjunction() {
        Node left = negation();
        while (accept_keyword("AND")) left = Node{Node::Kind::And, {}, {}, {}, {std::move(left), negation()}};
        return left;
    }

    Node negation() {
        if (accept_keyword("NOT")) return Node{Node::Kind::Not, {}, {}, {}, {negation()}};
        return predicate();
    }

    Node predicate() {
        if (accept_symbol("(")) {
            Node inner = condition();
            expect_symbol(")");
            return inner;
        }
        if (at_function()) {
            const FunctionInfo* info = find_function(peek().text);
            if (info && info->role == FunctionRole::Condition) return call(FunctionRole::Condition);
        }
        Node left = condition_operand();
        for (const char* op : {"=", "<>", "<", "<=", ">", ">="}) {
            if (accept_symbol(op)) return Node{Node::Kind::Compare, {}, {}, op, {std::move(left), condition_operand()}};
        }
        if (accept_keyword("BETWEEN")) {
            Node lower = condition_operand();
            if (!accept_keyword("AND")) syntax_error();
            Node upper = condition_operand();
            check_between_bounds(lower, upper);
            return Node{Node::Kind::Between, {}, {}, {}, {std::move(left), std::move(lower), std::move(upper)}};
        }
        if (accept_keyword("IN")) {
            expect_symbol("(");
            Node node{Node::Kind::In, {}, {}, {}, {std::move(left)}};
            do {
                node.args.push_back(condition_operand());
            } while (accept_symbol(","));
            expect_symbol(")");
            if (node.args.size() > 101) {
                fail("The IN operator is provided with too many operands; number of operands: " +
                     std::to_string(node.args.size() - 1));
            }
            return node;
        }
        if (left.kind == Node::Kind::Call) {
            fail("The function is not allowed to be used this way in an expression; function: " + left.op);
        }
        syntax_error();
    }

    void check_between_bounds(const Node& lower, const Node& upper) {
        if (lower.kind != Node::Kind::Value || upper.kind != Node::Kind::Value) return;
        const auto order = compare_values(lower.value, upper.value);
        if (order && *order > 0) {
            fail(
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower "
                "bound operand: "
                "AttributeValue: " +
                describe_value(lower.value) + ", upper bound operand: AttributeValue: " + describe_value(upper.value));
        }
    }

    // --- updates ---

    UpdateAction update_action(UpdateAction::Kind kind) {
        UpdateAction action{kind, path(), {}};
        switch (kind) {
            case UpdateAction::Kind::Set: {
                expect_symbol("=");
                Node left = update_operand();
                for (const char* op : {"+", "-"}) {
                    if (accept_symbol(op)) {
                        Node right = update_operand();
                        require_value_type(op, left, {AttrType::N});
                        require_value_type(op, right, {AttrType::N});
                        left = Node{Node::Kind::Arithmetic, {}, {}, op, {std::move(left), std::move(right)}};
                        break;
                    }
                }
                action.value = std::move(left);
                break;
            }
            case UpdateAction::Kind::Remove:
                break;
            case UpdateAction::Kind::Add:
            case UpdateAction::Kind::Delete: {
                if (peek().kind != Token::Kind::ValueRef) syntax_error();
                action.value = value_node();
                const AttrType type = type_of(action.value.value);
                const bool allowed = is_set(type) || (kind == UpdateAction::Kind::Add && type == AttrType::N);
                if (!allowed) {
                    fail(std::string("Incorrect operand type for operator or function; operator: ") +
                         (kind == UpdateAction::Kind::Add ? "ADD" : "DELETE") +
                         ", operand type: " + std::string(type_word(type)));
                }
                break;
            }
        }
        return action;
    }

    ExpressionInputs& inputs_;
    std::string_view expression_;
    std::vector<Token> tokens_;
    std::size_t position_ = 0;
};

}  // namespace

Node parse_condition(std::string_view text, ExpressionInputs& inputs, std::string_view expression) {
    return Parser(text, inputs, expression).whole_condition();
}

UpdateExpression parse_update(std::string_view text, ExpressionInputs& inputs) {
    UpdateExpression update = Parser(text, inputs, "UpdateExpression").whole_update();
    std::vector<DocumentPath> paths;
    for (const auto& action : update.actions) paths.push_back(action.path);
    check_paths_disjoint(paths, "UpdateExpression");
    return update;
}

std::vector<DocumentPath> parse_projection(std::string_view text, ExpressionInputs& inputs) {
    return Parser(text, inputs, "ProjectionExpression").whole_projection();
}

}  // namespace lambdalab::dynamodb
