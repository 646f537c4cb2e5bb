#pragma once
// What the web UI reads from the store that the lab API does not give: a function's recent
// invocations and log blocks, the sandboxes and invocation bars of a timeline, and a variant's
// per-invocation figures in columns (for histograms and time series). A read-only connection of its
// own; it runs on the event-loop thread, so every query walks an index (invocations by function and
// start time, by run and variant; sandboxes by id; logs by function) and is capped by a limit.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace lambdalab::store {
class Connection;
}

namespace lambdalab::ui {

struct RecentSummary {
    std::int64_t invocations = 0;  // capped by the query's limit
    std::int64_t errors = 0;       // function errors and timeouts
    std::int64_t throttles = 0;
    std::int64_t cold_starts = 0;
    std::optional<std::int64_t> last_at_ms;
    bool capped = false;
};

class UiStore {
  public:
    // Opens `database` read-only.
    explicit UiStore(const std::filesystem::path& database);
    ~UiStore();
    UiStore(const UiStore&) = delete;
    UiStore& operator=(const UiStore&) = delete;

    // Counts over the function's newest invocations since `since_ms` (at most `cap` rows looked at).
    RecentSummary recent_summary(const std::string& function, std::int64_t since_ms, std::size_t cap);
    // The newest `limit` invocations of a function, newest first.
    nlohmann::json recent_invocations(const std::string& function, std::size_t limit);
    // The newest `limit` log blocks of a function, oldest first.
    nlohmann::json logs(const std::string& function, std::size_t limit);

    // The run's id, name, kind, status, startedAtMs, endedAtMs; nullopt if there is no such run.
    std::optional<nlohmann::json> run_brief(std::int64_t run);

    struct Bars {
        nlohmann::json invocations = nlohmann::json::array();
        std::vector<std::string> sandbox_ids;  // of those invocations, first seen first
        bool truncated = false;
    };
    // A run's invocations (optionally one variant, or a variant and its warm-up and warmer
    // invocations with `with_helpers`), in start order, at most `limit`.
    Bars run_bars(std::int64_t run, const std::optional<std::string>& variant, bool with_helpers, std::size_t limit);
    // A function's invocations that started in [from, to], at most `limit`.
    Bars function_bars(const std::string& function, std::int64_t from_ms, std::int64_t to_ms, std::size_t limit);
    // Sandboxes that served the function's invocations started in [from, to] (for those still alive
    // at the start of a timeline window: look back before it by the idle lifetime), at most `limit`.
    std::vector<std::string> function_sandbox_ids(const std::string& function, std::int64_t from_ms, std::int64_t to_ms,
                                                  std::size_t limit);
    // Rows of `sandboxes` by id (those the store has; a sandbox is written a moment after it starts).
    nlohmann::json sandboxes(const std::vector<std::string>& ids);

    // A variant's measured invocations as columns (startMs, endMs, durationMs, initMs, cold, status,
    // and the cold-start phases), in start order, at most `limit`.
    nlohmann::json series(std::int64_t run, const std::string& variant, std::size_t limit, bool& truncated);

  private:
    std::unique_ptr<store::Connection> db_;
};

}  // namespace lambdalab::ui
