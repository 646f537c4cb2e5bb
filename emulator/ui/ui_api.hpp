#pragma once
// The web UI on the emulator's front door (an ApiServer extension): its built assets for GET and
// HEAD of any path that is neither the JSON API (/api/...) nor a Lambda API path (/2015-03-31/...,
// every one starts with a date), and the JSON endpoints its pages need that the lab API does not
// have (docs/api.md, "The web UI's endpoints"): the emulator's settings, functions with their live
// sandboxes and recent invocations, sandbox timelines, and per-variant series.
//
// It never touches processes: it reads the registry's configurations and the scheduler's status on
// the event-loop thread, and the store through a read-only connection of its own.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/request_target.hpp"
#include "net/http_server.hpp"
#include "ui/static_files.hpp"

namespace lambdalab::control {
class FunctionRegistry;
}
namespace lambdalab::scheduler {
class Scheduler;
}

namespace lambdalab::ui {

class UiStore;

// What GET /api/emulator tells about this emulator besides its profile.
struct UiInfo {
    std::string version;
    std::string region;
    std::string resource_control;  // how CPU, memory and freezing are enforced (the provider's description)
    int host_cores = 0;
    nlohmann::json profile = nlohmann::json::object();  // every setting of the profile (app::describe)
    std::string data_dir;
};

class UiApi {
  public:
    // Opens `database` (the emulator's lambdalab.db) read-only; the lab's tables must exist.
    UiApi(const std::filesystem::path& database, const control::FunctionRegistry& registry,
          const scheduler::Scheduler& scheduler, UiInfo info,
          std::vector<std::filesystem::path> asset_dirs = default_web_ui_dirs());
    ~UiApi();
    UiApi(const UiApi&) = delete;
    UiApi& operator=(const UiApi&) = delete;

    // The ApiServer extension: true when it answered.
    bool handle(const api::RequestTarget& target, net::Request& request, net::Responder& responder);
    // Where the built assets are; nullopt when the UI was not built.
    std::optional<std::filesystem::path> assets_dir() const { return files_.root(); }

  private:
    net::Response route(const api::RequestTarget& target, const net::Request& request);
    nlohmann::json emulator() const;
    nlohmann::json functions();
    nlohmann::json function(const std::string& name, const api::RequestTarget& target);
    nlohmann::json timeline(const api::RequestTarget& target);
    nlohmann::json series(const api::RequestTarget& target);

    const control::FunctionRegistry& registry_;
    const scheduler::Scheduler& scheduler_;
    UiInfo info_;
    std::int64_t started_at_ms_;
    StaticFiles files_;
    std::unique_ptr<UiStore> store_;
};

}  // namespace lambdalab::ui
