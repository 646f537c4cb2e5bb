#include "sandbox/sandbox_tmp.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace lambdalab::sandbox {

namespace fs = std::filesystem;

namespace {
bool mount_tmpfs(const fs::path& dir, std::int64_t size_mb) {
    const std::string options = "size=" + std::to_string(size_mb) + "m,mode=1777";
    return ::mount("lambdalab-tmp", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0;
}

// Whether a child can enter a private mount namespace (needs CAP_SYS_ADMIN).
bool can_unshare_mounts() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(::unshare(CLONE_NEWNS) == 0 ? 0 : 1);
    int status = 0;
    return child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
}  // namespace

TmpIsolation detect_tmp_isolation(const fs::path& scratch) {
    TmpIsolation result;
    const fs::path probe = scratch / "tmp-probe";
    std::error_code ec;
    fs::create_directories(probe, ec);
    if (mount_tmpfs(probe, 1)) {
        result.size_limited = true;
        ::umount2(probe.c_str(), MNT_DETACH);
    }
    fs::remove(probe, ec);
    result.private_mount = can_unshare_mounts();
    return result;
}

SandboxTmp::SandboxTmp(fs::path dir, std::int64_t size_mb, bool size_limited) : dir_(std::move(dir)) {
    fs::create_directories(dir_);
    if (size_limited) mounted_ = mount_tmpfs(dir_, size_mb);
    fs::permissions(dir_, fs::perms::all | fs::perms::sticky_bit);
}

SandboxTmp::~SandboxTmp() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

}  // namespace lambdalab::sandbox
