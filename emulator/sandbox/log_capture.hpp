#pragma once
// Collects what a sandbox's processes write to stdout and stderr (one pipe, as Lambda merges both).
// Output is read as it comes, and drained synchronously when an invocation ends: the runtime wrote
// its logs before it posted its response, so they are in the pipe by then.
#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstddef>
#include <string>

namespace lambdalab::sandbox {

class LogCapture {
  public:
    // Keeps at most this much between two take() calls; the rest is counted and dropped.
    static constexpr std::size_t kMaxBuffered = 1024 * 1024;

    explicit LogCapture(boost::asio::io_context& io);
    ~LogCapture();
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    // The write end, for the child's stdout and stderr.
    int write_fd() const { return write_fd_; }
    // Closes the emulator's copy of the write end (after spawning) and starts reading.
    void start();
    // Everything captured since the last take().
    std::string take();

  private:
    void read_more();
    void append(const char* data, std::size_t size);
    void drain_now();

    boost::asio::posix::stream_descriptor read_end_;
    int write_fd_ = -1;
    std::array<char, 16 * 1024> chunk_{};
    std::string buffer_;
    std::size_t dropped_ = 0;
};

}  // namespace lambdalab::sandbox
