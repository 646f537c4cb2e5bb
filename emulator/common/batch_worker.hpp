#pragma once
// A background thread that takes items from producers and handles them in batches: at every interval,
// at once when a backlog builds up, or on flush(). The store writes its records this way and the lab
// runner posts its client samples this way, so neither producer waits for the disk or the network.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lambdalab {

template <typename Item>
class BatchWorker {
  public:
    struct Options {
        std::chrono::milliseconds interval;  // the thread wakes on its own this often
        std::size_t wake_backlog;            // ... and at once when this many items wait
        std::size_t max_batch;               // items handed to one call of the handler
    };
    // Called on the worker's thread, one batch at a time, never with an empty batch; must not throw.
    using Handler = std::function<void(std::vector<Item>)>;

    BatchWorker(Options options, Handler handle)
        : options_(options), handle_(std::move(handle)), thread_([this] { loop(); }) {}
    // Handles everything added so far, then stops the thread.
    ~BatchWorker() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    BatchWorker(const BatchWorker&) = delete;
    BatchWorker& operator=(const BatchWorker&) = delete;

    void add(Item item) {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            queue_.push_back(std::move(item));
            ++added_;
            // Waking the thread per item would cost every producer a futex call and a context switch;
            // it wakes on its own every interval, and once when the backlog reaches its mark.
            wake = queue_.size() == options_.wake_backlog;
        }
        if (wake) wake_.notify_one();
    }

    // Blocks until every item added before the call was handled.
    void flush() {
        std::unique_lock lock(mutex_);
        const std::uint64_t target = added_;
        flush_requested_ = true;
        wake_.notify_one();
        handled_cv_.wait(lock, [&] { return handled_ >= target; });
    }

  private:
    void loop() {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait_for(lock, options_.interval,
                           [&] { return stopping_ || flush_requested_ || queue_.size() >= options_.wake_backlog; });
            flush_requested_ = false;
            if (queue_.empty()) {
                if (stopping_) return;
                continue;
            }
            std::vector<Item> batch;
            while (!queue_.empty() && batch.size() < options_.max_batch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            const std::size_t count = batch.size();
            lock.unlock();
            handle_(std::move(batch));
            lock.lock();
            handled_ += count;
            handled_cv_.notify_all();
        }
    }

    const Options options_;
    const Handler handle_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable handled_cv_;
    std::deque<Item> queue_;
    std::uint64_t added_ = 0;
    std::uint64_t handled_ = 0;
    bool flush_requested_ = false;
    bool stopping_ = false;
    std::thread thread_;  // last: it starts once everything it uses is initialized
};

}  // namespace lambdalab
