#pragma once
// One execution environment: a runtime process (and its children), its own Runtime API endpoint,
// its captured output and its resource controls. The sandbox carries out; the scheduler decides.
// Every event comes back through SandboxObserver on the event-loop thread.
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sandbox/log_capture.hpp"
#include "sandbox/process.hpp"
#include "sandbox/resource_control.hpp"
#include "sandbox/runtime_api.hpp"

namespace lambdalab::sandbox {

class Sandbox;

class SandboxObserver {
  public:
    virtual ~SandboxObserver() = default;
    // INIT done; when the runtime reported it, the epoch ms at which it began loading the function.
    virtual void on_sandbox_ready(Sandbox& sandbox, std::optional<std::int64_t> init_start_epoch_ms) = 0;
    virtual void on_sandbox_init_error(Sandbox& sandbox, RuntimeOutcome outcome) = 0;
    virtual void on_sandbox_outcome(Sandbox& sandbox, RuntimeOutcome outcome) = 0;  // invocation answered
    virtual void on_sandbox_idle(Sandbox& sandbox) = 0;                             // back at /next
    virtual void on_sandbox_exit(Sandbox& sandbox, ExitStatus status) = 0;          // process ended
};

class Sandbox final : private RuntimeApiListener {
  public:
    // `id` is the 32-hex-digit log stream suffix; `tag` lets the observer find its own record.
    Sandbox(boost::asio::io_context& io, std::string id, std::uint64_t tag, SandboxObserver& observer,
            std::unique_ptr<ResourceControl> resources);
    ~Sandbox() override;
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // Spawns the runtime with AWS_LAMBDA_RUNTIME_API pointing at this sandbox's endpoint.
    // Throws std::system_error if the executable cannot be started.
    void start(ProcessSpec spec);
    void deliver(Event event) { runtime_api_.deliver(std::move(event)); }
    // SIGKILLs the whole sandbox; on_sandbox_exit follows.
    void kill();
    void freeze();
    void thaw();

    std::string take_output() { return logs_.take(); }
    // Peak memory of the sandbox so far (Max Memory Used), in MB.
    int max_memory_used_mb() const;
    ResourceControl& resources() { return *resources_; }

    const std::string& id() const { return id_; }
    std::uint64_t tag() const { return tag_; }
    int pid() const { return process_ ? process_->pid() : -1; }
    bool running() const { return process_ && process_->running(); }
    bool frozen() const { return frozen_; }
    std::uint16_t runtime_api_port() const { return runtime_api_.port(); }

  private:
    void on_runtime_ready(std::optional<std::int64_t> init_start) override {
        observer_.on_sandbox_ready(*this, init_start);
    }
    void on_init_error(RuntimeOutcome outcome) override { observer_.on_sandbox_init_error(*this, std::move(outcome)); }
    void on_outcome(RuntimeOutcome outcome) override { observer_.on_sandbox_outcome(*this, std::move(outcome)); }
    void on_runtime_idle() override { observer_.on_sandbox_idle(*this); }

    boost::asio::io_context& io_;
    std::string id_;
    std::uint64_t tag_;
    SandboxObserver& observer_;
    std::unique_ptr<ResourceControl> resources_;
    LogCapture logs_;
    RuntimeApi runtime_api_;
    std::unique_ptr<Process> process_;
    bool frozen_ = false;
};

}  // namespace lambdalab::sandbox
