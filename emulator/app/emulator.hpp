#pragma once
// The composition root: builds the store, the control plane, the model, the scheduler and the API
// servers from the options, and runs them on one event loop until stop().
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lambdalab::app {

struct EmulatorOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 9000;
    std::filesystem::path data_dir = ".lambdalab";
    std::filesystem::path functions_file;  // optional
    std::string profile = "aws-2026";
    double time_scale = 0;                  // 0: the profile's own
    std::vector<std::string> settings;      // profile overrides, "key=value"
    std::string resource_control = "auto";  // auto, cgroup-v2, cgroup-v1, fallback or none
    std::filesystem::path runtimes_dir;     // empty: next to the executable, else the source tree's
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
    // lambdalab's DynamoDB: unset, port 8000 like DynamoDB Local (a free port if 8000 is taken);
    // 0 a free port; -1 off.
    std::optional<int> dynamodb_port;
    std::string dynamodb_latency = "4:1";  // ms per call: "none", "MS" or "MS:JITTER" (dynamodb/latency.hpp)
    bool quiet = false;
};

class Emulator {
  public:
    // Opens the store, restores and declares functions, binds the ports. Throws on failure.
    explicit Emulator(EmulatorOptions options);
    ~Emulator();

    // Runs the event loop until stop() or SIGINT/SIGTERM (when handle_signals).
    void run(bool handle_signals = true);
    // Thread-safe: asks the loop to shut down (sandboxes stopped, store flushed).
    void stop();
    std::uint16_t port() const;

  private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

// The directory holding python/bootstrap.py and node/bootstrap.mjs.
std::filesystem::path default_runtimes_dir();

}  // namespace lambdalab::app
