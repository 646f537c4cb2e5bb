#include "dynamodb/dynamodb_reply.hpp"

#include <algorithm>
#include <boost/crc.hpp>
#include <cctype>

#include "common/ids.hpp"

namespace lambdalab::dynamodb {

namespace {

namespace http = net::http;

// Errors from DynamoDB's front end (before the request reaches DynamoDB proper) carry the
// service framework's namespace, the others DynamoDB's own.
std::string qualified_type(const std::string& type) {
    if (type == "SerializationException" || type == "UnknownOperationException")
        return "com.amazon.coral.service#" + type;
    return "com.amazonaws.dynamodb.v20120810#" + type;
}

// DynamoDB's request ids are 52 upper-case letters and digits.
std::string request_id() {
    std::string id = random_hex(52);
    std::transform(id.begin(), id.end(), id.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return id;
}

net::Response reply(http::status status, std::string body) {
    boost::crc_32_type crc;
    crc.process_bytes(body.data(), body.size());
    net::Response response = net::make_response(status, std::move(body), "application/x-amz-json-1.0");
    response.set("x-amzn-RequestId", request_id());
    response.set("x-amz-crc32", std::to_string(crc.checksum()));
    return response;
}

}  // namespace

net::Response json_reply(const nlohmann::json& body) {
    return reply(http::status::ok, body.dump());
}

net::Response error_reply(const DynamoError& error) {
    nlohmann::json body = error.extra.is_object() ? error.extra : nlohmann::json::object();
    body["__type"] = qualified_type(error.type);
    body["message"] = error.message;
    return reply(static_cast<http::status>(error.status), body.dump());
}

}  // namespace lambdalab::dynamodb
