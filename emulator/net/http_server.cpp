#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <unordered_set>

namespace lambdalab::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

Response make_response(http::status status, std::string body, std::string_view content_type) {
    Response response{status, 11};
    if (!content_type.empty()) response.set(http::field::content_type, content_type);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
    Impl(asio::io_context& io, ServerOptions opts, Handler h)
        : acceptor(io), options(std::move(opts)), handler(std::move(h)) {}

    void accept();

    tcp::acceptor acceptor;
    ServerOptions options;
    Handler handler;
    std::unordered_set<detail::Session*> sessions;
    std::uint16_t port = 0;
    bool closed = false;
};

namespace detail {

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, std::shared_ptr<HttpServer::Impl> server)
        : stream_(std::move(socket)), server_(std::move(server)) {
        server_->sessions.insert(this);
    }
    ~Session() { server_->sessions.erase(this); }

    void start() { read_header(); }

    void close() {
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

    bool is_open() const { return stream_.socket().is_open(); }

    // Sends the answer to the request in flight, then reads the next one (keep-alive).
    void send(Response&& response, bool close_after = false) {
        response.version(request_version_);
        response.keep_alive(keep_alive_ && !close_after);
        if (!response.has_content_length() && !response.chunked()) response.prepare_payload();
        auto shared = std::make_shared<Response>(std::move(response));
        http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
            if (ec || !shared->keep_alive()) return self->close();
            self->read_header();
        });
    }

  private:
    void arm_timer() {
        if (server_->options.idle_timeout)
            stream_.expires_after(*server_->options.idle_timeout);
        else
            stream_.expires_never();
    }

    void read_header() {
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_->options.header_limit));
        // Beast compares Content-Length with the body limit as soon as the header is parsed, and the
        // real limit depends on that header: no limit until on_header() sets it.
        parser_->body_limit(boost::none);
        arm_timer();
        http::async_read_header(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        // After close() the owner may be gone: its callbacks must not run, even for reads already done.
        if (server_->closed) return close();
        if (ec) return on_read_error(ec);
        const Request& header = parser_->get();
        request_version_ = header.version();
        keep_alive_ = header.keep_alive();
        limit_ = server_->options.body_limit(header);
        parser_->body_limit(limit_ + server_->options.drain_allowance);

        const auto declared = parser_->content_length();
        const bool expects_continue = beast::iequals(header[http::field::expect], "100-continue");
        if (declared && *declared > limit_ + server_->options.drain_allowance) {
            return send(too_large(header, *declared), /*close_after=*/true);
        }
        if (expects_continue) {
            // Answer early instead of inviting a body we would refuse.
            if (declared && *declared > limit_) return send(too_large(header, *declared), true);
            auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            return http::async_write(stream_, *cont,
                                     [self = shared_from_this(), cont](beast::error_code e, std::size_t) {
                                         if (e) return self->close();
                                         self->read_body();
                                     });
        }
        read_body();
    }

    void read_body() {
        arm_timer();
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
    }

    void on_body(beast::error_code ec) {
        if (server_->closed) return close();
        if (ec) return on_read_error(ec);
        stream_.expires_never();
        Request request = parser_->release();
        if (request.body().size() > limit_) return send(too_large(request, request.body().size()));
        server_->handler(std::move(request), Responder(shared_from_this()));
    }

    void on_read_error(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
            ec == asio::error::connection_reset || ec == beast::error::timeout || !is_open()) {
            return close();
        }
        if (ec == http::error::body_limit) {
            return send(too_large(parser_->get(), parser_->get().body().size()), /*close_after=*/true);
        }
        const auto status =
            ec == http::error::header_limit ? http::status::request_header_fields_too_large : http::status::bad_request;
        keep_alive_ = false;
        if (request_version_ == 0) request_version_ = 11;
        send(server_->options.on_bad_request ? server_->options.on_bad_request(status, ec.message())
                                             : make_response(status, ec.message(), "text/plain"),
             /*close_after=*/true);
    }

    Response too_large(const Request& header, std::size_t size) {
        if (server_->options.on_too_large) return server_->options.on_too_large(header, size);
        return make_response(http::status::payload_too_large, "Request entity too large", "text/plain");
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<HttpServer::Impl> server_;
    std::size_t limit_ = 0;
    unsigned request_version_ = 11;
    bool keep_alive_ = true;
};

}  // namespace detail

Responder::Responder(std::shared_ptr<detail::Session> session) : session_(std::move(session)) {}

Responder& Responder::operator=(Responder&& other) noexcept {
    if (this != &other) {
        if (session_ && session_->is_open()) {
            session_->send(make_response(http::status::internal_server_error, "request was not answered", "text/plain"),
                           true);
        }
        session_ = std::move(other.session_);
    }
    return *this;
}

Responder::~Responder() {
    if (session_ && session_->is_open()) {
        session_->send(make_response(http::status::internal_server_error, "request was not answered", "text/plain"),
                       true);
    }
}

void Responder::operator()(Response&& response) {
    if (!session_) return;
    auto session = std::move(session_);
    if (session->is_open()) session->send(std::move(response));
}

void HttpServer::Impl::accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
        if (self->closed || ec == asio::error::operation_aborted) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<detail::Session>(std::move(socket), self)->start();
        } else if (ec == asio::error::no_descriptors) {
            // Out of file descriptors: back off instead of spinning; existing connections go on.
            auto timer =
                std::make_shared<asio::steady_timer>(self->acceptor.get_executor(), std::chrono::milliseconds(50));
            return timer->async_wait([self, timer](beast::error_code) {
                if (!self->closed) self->accept();
            });
        }
        self->accept();
    });
}

HttpServer::HttpServer(asio::io_context& io, const std::string& host, std::uint16_t port, ServerOptions options,
                       Handler handler)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handler))) {
    const tcp::endpoint endpoint{asio::ip::make_address(host), port};
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->accept();
}

HttpServer::~HttpServer() {
    close();
}

void HttpServer::stop_accepting() {
    beast::error_code ec;
    impl_->acceptor.close(ec);
}

std::uint16_t HttpServer::port() const {
    return impl_->port;
}

void HttpServer::close() {
    if (impl_->closed) return;
    impl_->closed = true;
    beast::error_code ec;
    impl_->acceptor.close(ec);
    // Copy: closing a session may end it, which erases it from the set.
    const std::vector<detail::Session*> open(impl_->sessions.begin(), impl_->sessions.end());
    for (auto* session : open) session->close();
}

}  // namespace lambdalab::net
