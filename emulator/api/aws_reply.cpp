#include "api/aws_reply.hpp"

#include <nlohmann/json.hpp>

#include "common/ids.hpp"

namespace lambdalab::api {

using nlohmann::json;
namespace http = net::http;

net::Response aws_error_reply(const AwsError& error, const std::string& request_id) {
    json body;
    body["Type"] = error.status >= 500 ? "Service" : "User";
    // AWS writes "Message" for these two and "message" elsewhere; SDKs read either.
    const bool capital = error.type == "ResourceNotFoundException" || error.type == "ServiceException";
    body[capital ? "Message" : "message"] = error.message;
    if (!error.reason.empty()) body["Reason"] = error.reason;
    net::Response response =
        net::make_response(static_cast<http::status>(error.status), body.dump(), "application/json");
    response.set("x-amzn-ErrorType", error.type);
    response.set("x-amzn-RequestId", request_id.empty() ? new_uuid() : request_id);
    return response;
}

net::Response json_reply(http::status status, const json& body, const std::string& request_id) {
    net::Response response = net::make_response(status, body.dump(), "application/json");
    response.set("x-amzn-RequestId", request_id.empty() ? new_uuid() : request_id);
    return response;
}

net::Response empty_reply(http::status status, const std::string& request_id) {
    net::Response response{status, 11};
    response.set("x-amzn-RequestId", request_id.empty() ? new_uuid() : request_id);
    response.prepare_payload();
    return response;
}

}  // namespace lambdalab::api
