#pragma once
// A small synchronous HTTP/1.1 client over one keep-alive connection (Beast): the CLI's `invoke`,
// the benchmarks and the tests use it to talk to the emulator like any AWS client would.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace lambdalab::net {

struct Url {
    std::string host;
    std::string port;
    std::string path_prefix;  // anything after host:port, without a trailing slash
};
// Parses http://host:port[/prefix]; throws std::invalid_argument otherwise.
Url parse_url(const std::string& url);
// Percent-encodes everything but RFC 3986 unreserved characters (a path segment or a query value).
std::string percent_encode(std::string_view text);

class HttpClient {
  public:
    explicit HttpClient(const std::string& host, const std::string& port);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends one request and reads the answer, reconnecting once if the kept-alive connection was closed.
    // Throws boost::system::system_error on network failure.
    Response send(Request request);
    Response post(const std::string& target, std::string body, const std::string& content_type = "application/json");
    Response get(const std::string& target);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lambdalab::net
