#include "net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace lambdalab::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

std::string percent_encode(std::string_view text) {
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

Url parse_url(const std::string& url) {
    constexpr std::string_view scheme = "http://";
    if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("only http:// endpoints are supported: " + url);
    std::string rest = url.substr(scheme.size());
    Url out;
    const auto slash = rest.find('/');
    if (slash != std::string::npos) {
        out.path_prefix = rest.substr(slash);
        while (!out.path_prefix.empty() && out.path_prefix.back() == '/') out.path_prefix.pop_back();
        rest = rest.substr(0, slash);
    }
    const auto colon = rest.rfind(':');
    out.host = colon == std::string::npos ? rest : rest.substr(0, colon);
    out.port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
    if (out.host.empty()) throw std::invalid_argument("no host in " + url);
    return out;
}

struct HttpClient::Impl {
    Impl(std::string h, std::string p) : host(std::move(h)), port(std::move(p)), stream(io) {}

    void connect() {
        stream.close();
        tcp::resolver resolver(io);
        stream.connect(resolver.resolve(host, port));
        stream.socket().set_option(tcp::no_delay(true));
        connected = true;
    }

    Response exchange(const Request& request) {
        http::write(stream, request);
        Response response;
        http::response_parser<http::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        http::read(stream, buffer, parser);
        response = parser.release();
        if (!response.keep_alive()) connected = false;
        return response;
    }

    std::string host;
    std::string port;
    asio::io_context io;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bool connected = false;
};

HttpClient::HttpClient(const std::string& host, const std::string& port) : impl_(std::make_unique<Impl>(host, port)) {}
HttpClient::~HttpClient() = default;

Response HttpClient::send(Request request) {
    request.set(http::field::host, impl_->host + ":" + impl_->port);
    request.keep_alive(true);
    request.prepare_payload();
    const bool reused = impl_->connected;
    if (!impl_->connected) impl_->connect();
    try {
        return impl_->exchange(request);
    } catch (const boost::system::system_error&) {
        if (!reused) throw;
        // The server closed the idle connection: once more on a new one.
        impl_->buffer.clear();
        impl_->connect();
        return impl_->exchange(request);
    }
}

Response HttpClient::post(const std::string& target, std::string body, const std::string& content_type) {
    Request request{http::verb::post, target, 11};
    request.set(http::field::content_type, content_type);
    request.body() = std::move(body);
    return send(std::move(request));
}

Response HttpClient::get(const std::string& target) {
    return send(Request{http::verb::get, target, 11});
}

}  // namespace lambdalab::net
