#pragma once
// Small, explicit file operations on cgroup filesystems, and where this process's cgroups are.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lambdalab::sandbox {

// Writes a control file; throws std::runtime_error naming the file and errno.
void write_control(const std::filesystem::path& file, const std::string& value);
bool try_write_control(const std::filesystem::path& file, const std::string& value);
std::optional<std::string> read_control(const std::filesystem::path& file);
// The integer after `key ` in a "key value" per line file (memory.oom_control, memory.events).
std::optional<std::int64_t> read_keyed(const std::filesystem::path& file, const std::string& key);

// A control file kept open and re-read with pread (peak memory is read after every invocation).
class KeptFile {
  public:
    KeptFile() = default;
    explicit KeptFile(const std::filesystem::path& file);
    ~KeptFile();
    KeptFile(KeptFile&& other) noexcept;
    KeptFile& operator=(KeptFile&& other) noexcept;
    KeptFile(const KeptFile&) = delete;
    KeptFile& operator=(const KeptFile&) = delete;
    bool valid() const { return fd_ >= 0; }
    // The file's content (at most 4 KB), or empty if unreadable.
    std::string read() const;
    std::optional<std::int64_t> read_integer() const;

  private:
    int fd_ = -1;
};

struct CgroupMount {
    std::filesystem::path mount_point;
    bool v2 = false;
    std::vector<std::string> controllers;  // v1: from the mount options
};

// The cgroup filesystems mounted on this host (from /proc/self/mountinfo).
std::vector<CgroupMount> cgroup_mounts();
// This process's cgroup path in a v1 hierarchy (by controller) or in v2 ("" key).
std::optional<std::string> own_cgroup(const std::string& controller);

// Removes a cgroup directory and its child cgroups (deepest first). False if any is still busy.
bool remove_cgroup_tree(const std::filesystem::path& dir);
// Removes leftover `lambdalab-<pid>` directories of emulators that are no longer running.
void remove_stale_cgroups(const std::filesystem::path& parent);

// "0-3,5" for a list of cores; and parses the same form.
std::string cpu_list(const std::vector<int>& cpus);
std::vector<int> parse_cpu_list(const std::string& text);

}  // namespace lambdalab::sandbox
