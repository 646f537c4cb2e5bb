#pragma once
// An error in Lambda's own shape: HTTP status, the x-amzn-ErrorType code, the message and, for
// throttles, the Reason. Thrown by the control plane and the scheduler, rendered by the API layer.
#include <stdexcept>
#include <string>

namespace lambdalab {

struct AwsError {
    int status = 500;
    std::string type = "ServiceException";
    std::string message;
    std::string reason;  // TooManyRequestsException.Reason
};

class AwsException : public std::runtime_error {
  public:
    explicit AwsException(AwsError error) : std::runtime_error(error.message), error_(std::move(error)) {}
    const AwsError& error() const { return error_; }

  private:
    AwsError error_;
};

[[noreturn]] inline void throw_invalid_parameter(std::string message) {
    throw AwsException({400, "InvalidParameterValueException", std::move(message), {}});
}

}  // namespace lambdalab
