// Private to the runtime library. Beast stays in http_connection.cpp so only one file pays for it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambdalab::runtime::detail {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;

    // Case-insensitive; empty if absent.
    std::string_view header(std::string_view name) const;
};

// One persistent HTTP/1.1 connection to the Runtime API ("host:port"). Calls block with no timeout,
// since GET /next may wait indefinitely. Errors throw std::exception subclasses.
class HttpConnection {
  public:
    explicit HttpConnection(std::string_view host_port);
    ~HttpConnection();
    HttpConnection(const HttpConnection&) = delete;
    HttpConnection& operator=(const HttpConnection&) = delete;

    HttpResponse get(std::string_view target);
    HttpResponse post(std::string_view target, std::string body, const Headers& headers);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace lambdalab::runtime::detail
