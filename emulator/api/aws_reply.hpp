#pragma once
// Replies in the Lambda REST API's shape: a JSON body, x-amzn-RequestId on every reply, and for
// errors the x-amzn-ErrorType header plus the body AWS sends (reference/runtime-api.md §2.3).
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/aws_error.hpp"
#include "net/http_types.hpp"

namespace lambdalab::api {

net::Response aws_error_reply(const AwsError& error, const std::string& request_id = {});
net::Response json_reply(net::http::status status, const nlohmann::json& body, const std::string& request_id = {});
net::Response empty_reply(net::http::status status, const std::string& request_id = {});

}  // namespace lambdalab::api
