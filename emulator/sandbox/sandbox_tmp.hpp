#pragma once
// A sandbox's own /tmp: a directory (TMPDIR) that, where the emulator may mount (root), is a tmpfs
// limited to the function's ephemeral storage, and that the runtime sees at /tmp itself through a
// private mount namespace. Unlike Lambda's disk-backed /tmp, what a function keeps there counts
// toward its memory cgroup.
#include <cstdint>
#include <filesystem>

namespace lambdalab::sandbox {

struct TmpIsolation {
    bool size_limited = false;   // tmpfs with size=ephemeral storage
    bool private_mount = false;  // bind-mounted at /tmp in a private mount namespace
};

// What this host allows, tried once in `scratch` at start-up.
TmpIsolation detect_tmp_isolation(const std::filesystem::path& scratch);

class SandboxTmp {
  public:
    SandboxTmp(std::filesystem::path dir, std::int64_t size_mb, bool size_limited);
    ~SandboxTmp();  // unmounts (lazily) and removes the directory
    SandboxTmp(const SandboxTmp&) = delete;
    SandboxTmp& operator=(const SandboxTmp&) = delete;
    const std::filesystem::path& dir() const { return dir_; }
    bool mounted() const { return mounted_; }

  private:
    std::filesystem::path dir_;
    bool mounted_ = false;
};

}  // namespace lambdalab::sandbox
