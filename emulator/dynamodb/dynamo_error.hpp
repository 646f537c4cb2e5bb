#pragma once
// An error in DynamoDB's shape: HTTP 400 and a JSON body {"__type": "<namespace>#<Type>", "message": ...}.
// Thrown by the pure logic (values, expressions, operations), rendered by the HTTP front.
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace lambdalab::dynamodb {

struct DynamoError {
    std::string type;  // "ValidationException", "ResourceNotFoundException", ...
    std::string message;
    nlohmann::json extra = nlohmann::json::object();  // more body fields, e.g. the Item of a failed condition
    int status = 400;
};

class DynamoException : public std::runtime_error {
  public:
    explicit DynamoException(DynamoError error) : std::runtime_error(error.message), error_(std::move(error)) {}
    const DynamoError& error() const { return error_; }

  private:
    DynamoError error_;
};

[[noreturn]] inline void throw_validation(std::string message) {
    throw DynamoException({"ValidationException", std::move(message)});
}

[[noreturn]] inline void throw_serialization(std::string message) {
    throw DynamoException({"SerializationException", std::move(message)});
}

// Operations on items answer without the table name; DescribeTable and DeleteTable name it.
[[noreturn]] inline void throw_table_not_found(const std::string& table = {}) {
    throw DynamoException(
        {"ResourceNotFoundException", table.empty() ? "Requested resource not found"
                                                    : "Requested resource not found: Table: " + table + " not found"});
}

}  // namespace lambdalab::dynamodb
