#pragma once
// DynamoDB's HTTP replies: application/x-amz-json-1.0 bodies with x-amzn-RequestId and the
// x-amz-crc32 checksum SDKs verify, and errors as {"__type": "<namespace>#<Type>", "message": ...}.
#include <nlohmann/json.hpp>

#include "dynamodb/dynamo_error.hpp"
#include "net/http_types.hpp"

namespace lambdalab::dynamodb {

net::Response json_reply(const nlohmann::json& body);
net::Response error_reply(const DynamoError& error);

}  // namespace lambdalab::dynamodb
