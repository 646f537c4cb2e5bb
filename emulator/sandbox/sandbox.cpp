#include "sandbox/sandbox.hpp"

namespace lambdalab::sandbox {

Sandbox::Sandbox(boost::asio::io_context& io, std::string id, std::uint64_t tag, SandboxObserver& observer,
                 std::unique_ptr<ResourceControl> resources)
    : io_(io),
      id_(std::move(id)),
      tag_(tag),
      observer_(observer),
      resources_(std::move(resources)),
      logs_(io),
      runtime_api_(io, *this) {}

Sandbox::~Sandbox() {
    runtime_api_.close();
    if (frozen_) thaw();
}

void Sandbox::start(ProcessSpec spec) {
    spec.environment.push_back("AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(runtime_api_.port()));
    spec.output_fd = logs_.write_fd();
    // The resources decide the cgroups and CPUs; the launch spec decides /tmp.
    ChildSetup resource_setup = resources_->child_setup();
    spec.child_setup.cgroup_procs_files = std::move(resource_setup.cgroup_procs_files);
    spec.child_setup.cpus = std::move(resource_setup.cpus);
    process_ = std::make_unique<Process>(io_, spec, [this](ExitStatus status) {
        runtime_api_.close();
        observer_.on_sandbox_exit(*this, status);
    });
    resources_->attach(process_->pid());
    logs_.start();
}

void Sandbox::kill() {
    thaw();  // a frozen process would not die until thawed
    if (process_) process_->kill();
}

void Sandbox::freeze() {
    if (frozen_ || !running()) return;
    resources_->freeze();
    frozen_ = true;
}

void Sandbox::thaw() {
    if (!frozen_) return;
    resources_->thaw();
    frozen_ = false;
}

int Sandbox::max_memory_used_mb() const {
    return static_cast<int>((resources_->peak_memory_bytes() + (1 << 20) - 1) >> 20);
}

}  // namespace lambdalab::sandbox
