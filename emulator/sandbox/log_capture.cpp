#include "sandbox/log_capture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <system_error>

namespace lambdalab::sandbox {

namespace {
std::array<int, 2> make_pipe() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category(), "pipe2");
    return fds;
}
}  // namespace

LogCapture::LogCapture(boost::asio::io_context& io) : read_end_(io) {
    const auto fds = make_pipe();
    read_end_.assign(fds[0]);
    read_end_.non_blocking(true);
    write_fd_ = fds[1];
}

LogCapture::~LogCapture() {
    if (write_fd_ >= 0) ::close(write_fd_);
}

void LogCapture::start() {
    if (write_fd_ >= 0) {
        ::close(write_fd_);
        write_fd_ = -1;
    }
    read_more();
}

void LogCapture::read_more() {
    read_end_.async_read_some(boost::asio::buffer(chunk_), [this](boost::system::error_code ec, std::size_t n) {
        if (ec) return;  // EOF (every writer is gone) or the capture is closing
        append(chunk_.data(), n);
        read_more();
    });
}

void LogCapture::append(const char* data, std::size_t size) {
    const std::size_t room = buffer_.size() < kMaxBuffered ? kMaxBuffered - buffer_.size() : 0;
    buffer_.append(data, std::min(room, size));
    dropped_ += size - std::min(room, size);
}

void LogCapture::drain_now() {
    for (;;) {
        const ssize_t n = ::read(read_end_.native_handle(), chunk_.data(), chunk_.size());
        if (n <= 0) return;  // EAGAIN: nothing more is waiting; 0: EOF
        append(chunk_.data(), static_cast<std::size_t>(n));
    }
}

std::string LogCapture::take() {
    drain_now();
    std::string out = std::move(buffer_);
    buffer_.clear();
    if (dropped_ > 0) {
        if (!out.empty() && out.back() != '\n') out += '\n';
        out += "[lambdalab: " + std::to_string(dropped_) + " bytes of output dropped]\n";
        dropped_ = 0;
    }
    return out;
}

}  // namespace lambdalab::sandbox
