#pragma once
// The HTTP message types every server in lambdalab speaks (Beast string bodies).
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace lambdalab::net {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A response with a body and its content type, HTTP/1.1.
Response make_response(http::status status, std::string body, std::string_view content_type);

}  // namespace lambdalab::net
