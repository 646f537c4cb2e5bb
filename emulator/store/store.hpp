#pragma once
// The emulator's store: one SQLite file (WAL). Hot-path records (invocations, logs, sandboxes) are
// queued and written by a background thread in batched transactions (every 20 ms, or sooner under a
// backlog), so an invocation never waits for the disk; control-plane changes (functions) are written
// before the call returns.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/batch_worker.hpp"
#include "store/records.hpp"

namespace lambdalab::store {

class Connection;

// Reads, from any process: the CLI's `logs` reads the file the server writes.
class StoreReader {
  public:
    explicit StoreReader(const std::filesystem::path& path);
    ~StoreReader();

    std::vector<FunctionRow> functions();
    // The newest `limit` log blocks of a function, oldest first.
    std::vector<LogRecord> logs(const std::string& function, std::size_t limit);
    std::vector<InvocationRecord> invocations(const std::string& function, std::size_t limit);
    std::vector<AsyncEventRow> async_events();
    std::vector<DeadLetterRow> dead_letters(const std::string& function);
    std::int64_t invocation_count(const std::string& function);

  private:
    std::mutex mutex_;
    std::unique_ptr<Connection> db_;
};

class Store {
  public:
    // Opens (creating and migrating) the database. Throws SqliteError when it cannot.
    explicit Store(std::filesystem::path path);
    ~Store();  // writes everything queued, then closes
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Durable when they return.
    void save_function(const std::string& name, const std::string& version, const std::string& config_json);
    void delete_function(const std::string& name);  // every version
    void delete_function_version(const std::string& name, const std::string& version);
    // An accepted event survives a restart: it is on disk before the caller gets its 202.
    void save_async_event(const AsyncEventRow& row);

    // Queued; committed within a batch interval.
    void record_invocation(InvocationRecord record);
    void record_log(LogRecord record);
    void record_sandbox_start(SandboxRecord record);
    void record_sandbox_end(const std::string& sandbox_id, std::int64_t ended_at_ms, std::string reason);
    void update_async_event(const AsyncEventRow& row);
    void delete_async_event(const std::string& request_id);
    void record_dead_letter(DeadLetterRow row);

    // Blocks until everything queued so far is committed.
    void flush();

    StoreReader& reader() { return reader_; }

  private:
    using Write = std::function<void(Connection&)>;
    void enqueue(Write write) { writer_.add(std::move(write)); }
    void run_writes(const std::vector<Write>& batch);

    std::filesystem::path path_;
    std::unique_ptr<Connection> db_;
    BatchWorker<Write> writer_;  // after db_, which it writes to until it is destroyed
    StoreReader reader_;
};

}  // namespace lambdalab::store
