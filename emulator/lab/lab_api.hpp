#pragma once
// The lab's JSON API under /api/ on the emulator's port (docs/api.md): runs, their variants, the
// runner's client samples and per-variant statistics. The runner creates and finishes runs through
// it (so a run can be measured against a remote emulator), and the web UI reads the same endpoints.
// It reads and writes the store only; it never touches processes. Runs on the event loop: every
// query is indexed, and list endpoints are paged.
#include <filesystem>
#include <memory>
#include <string>

#include "api/request_target.hpp"
#include "net/http_server.hpp"

namespace lambdalab::store {
class Connection;
}

namespace lambdalab::lab {

class RunStore;

struct LabInfo {
    std::string profile;  // the emulator's simulation profile
    double time_scale = 1;
    std::string region = "us-east-1";
};

class LabApi {
  public:
    // Opens `database` (the emulator's lambdalab.db) and creates the lab's tables if needed.
    LabApi(const std::filesystem::path& database, LabInfo info);
    ~LabApi();

    // An ApiServer extension: answers /api/lab and /api/runs...; false for anything else.
    bool handle(const api::RequestTarget& target, net::Request& request, net::Responder& responder);

  private:
    net::Response route(const api::RequestTarget& target, net::Request& request);

    LabInfo info_;
    std::unique_ptr<store::Connection> db_;
    std::unique_ptr<RunStore> runs_;
};

}  // namespace lambdalab::lab
