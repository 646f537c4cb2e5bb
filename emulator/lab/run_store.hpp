#pragma once
// Runs, their variants and the runner's client-side samples, in the emulator's database; and the
// per-variant statistics, computed by SQL over the invocations the emulator recorded (tagged with
// the run and variant) and over the client samples. Every query goes through an index on run_id.
// Not thread-safe: one RunStore per connection and thread.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

namespace lambdalab::store {
class Connection;
}

namespace lambdalab::lab {

class RunNotFound : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct NewRun {
    std::string name;
    std::string kind = "suite";  // suite | tune
    nlohmann::json suite = nlohmann::json::object();
    std::string endpoint;
    nlohmann::json environment = nlohmann::json::object();
};

class RunStore {
  public:
    explicit RunStore(store::Connection& db) : db_(db) {}

    std::int64_t create_run(const NewRun& run);
    // Registers a variant (or replaces its config while the run is on). Throws RunNotFound.
    void add_variant(std::int64_t run, const std::string& name, int position, const nlohmann::json& config);
    // Sets any of status, message, result (a JSON object), started/ended times.
    void update_variant(std::int64_t run, const std::string& name, const nlohmann::json& fields);
    // Appends client samples (an array of objects, see docs/api.md); returns how many.
    std::size_t add_samples(std::int64_t run, const nlohmann::json& samples);
    // Ends a run: status complete | incomplete | failed, with headline, result and message; caches
    // every variant's statistics.
    void finish_run(std::int64_t run, const nlohmann::json& fields);

    // Newest first: id, name, kind, status, headline, times, variant and invocation counts.
    nlohmann::json list_runs(std::size_t limit);
    // The run with its variants; with `stats`, each variant's statistics (cached once it ended).
    // Throws RunNotFound.
    nlohmann::json run(std::int64_t run, bool stats = true);
    // Invocation rows (docs/store.md) of a run, optionally of one variant, by id after `after`.
    nlohmann::json invocations(std::int64_t run, const std::optional<std::string>& variant, std::int64_t after,
                               std::size_t limit);
    nlohmann::json samples(std::int64_t run, const std::optional<std::string>& variant, std::int64_t after,
                           std::size_t limit);
    // Invocation rows of a run so far (committed ones).
    std::int64_t invocation_count(std::int64_t run);

    // Each variant's statistics, computed now (variant name -> JSON; see docs/api.md).
    nlohmann::json compute_stats(std::int64_t run);

  private:
    void require_run(std::int64_t run);
    store::Connection& db_;
    // A running run's statistics, reused for a second while no row or sample was added: a UI
    // polling a large run would otherwise recompute them on every poll.
    struct CachedStats {
        std::int64_t at_ms = 0;
        std::pair<std::int64_t, std::int64_t> counts{-1, -1};  // invocation rows and client samples then
        nlohmann::json stats;
    };
    std::map<std::int64_t, CachedStats> live_stats_;
};

}  // namespace lambdalab::lab
