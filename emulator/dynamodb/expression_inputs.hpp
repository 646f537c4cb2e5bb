#pragma once
// A request's ExpressionAttributeNames (#n -> name) and ExpressionAttributeValues (:v -> value),
// validated up front, with a record of which ones the expressions used: DynamoDB rejects unused ones.
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

namespace lambdalab::dynamodb {

using Json = nlohmann::json;

class ExpressionInputs {
  public:
    ExpressionInputs() = default;
    // Reads ExpressionAttributeNames and ExpressionAttributeValues from `request` (either may be absent).
    explicit ExpressionInputs(const Json& request);

    // `expression` names the expression in errors: "Invalid <expression>: ... not defined ...".
    const std::string& name(const std::string& token, std::string_view expression);
    const Json& value(const std::string& token, std::string_view expression);

    // Throws ValidationException for names or values that no expression used; `any_expression` says
    // whether the request had an expression at all (DynamoDB words the error differently).
    void check_all_used(bool any_expression) const;

  private:
    std::map<std::string, std::string> names_;
    std::map<std::string, Json> values_;
    std::set<std::string> used_names_;
    std::set<std::string> used_values_;
};

}  // namespace lambdalab::dynamodb
