#include "sandbox/cgroup_files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lambdalab::sandbox {

namespace fs = std::filesystem;

bool try_write_control(const fs::path& file, const std::string& value) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

void write_control(const fs::path& file, const std::string& value) {
    if (!try_write_control(file, value)) {
        throw std::runtime_error("cannot write '" + value + "' to " + file.string() + ": " + std::strerror(errno));
    }
}

std::optional<std::string> read_control(const fs::path& file) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<std::int64_t> read_keyed(const fs::path& file, const std::string& key) {
    std::ifstream in(file);
    std::string name;
    std::int64_t value = 0;
    while (in >> name >> value) {
        if (name == key) return value;
    }
    return std::nullopt;
}

KeptFile::KeptFile(const fs::path& file) : fd_(::open(file.c_str(), O_RDONLY | O_CLOEXEC)) {}
KeptFile::~KeptFile() {
    if (fd_ >= 0) ::close(fd_);
}
KeptFile::KeptFile(KeptFile&& other) noexcept : fd_(other.fd_) {
    other.fd_ = -1;
}
KeptFile& KeptFile::operator=(KeptFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

std::string KeptFile::read() const {
    if (fd_ < 0) return {};
    char buffer[4096];
    const ssize_t n = ::pread(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string{};
}

std::optional<std::int64_t> KeptFile::read_integer() const {
    const std::string text = read();
    if (text.empty()) return std::nullopt;
    try {
        return std::stoll(text);
    } catch (const std::exception&) {
        return std::nullopt;  // "max" in cgroup v2
    }
}

std::vector<CgroupMount> cgroup_mounts() {
    // mountinfo: id parent major:minor root mount-point options ... - fstype source super-options
    std::ifstream in("/proc/self/mountinfo");
    std::vector<CgroupMount> mounts;
    std::string line;
    while (std::getline(in, line)) {
        const auto dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::istringstream head(line.substr(0, dash));
        std::istringstream tail(line.substr(dash + 3));
        std::string id, parent, device, root, mount_point, fstype, source, options;
        head >> id >> parent >> device >> root >> mount_point;
        tail >> fstype >> source >> options;
        if (fstype != "cgroup" && fstype != "cgroup2") continue;
        CgroupMount mount{mount_point, fstype == "cgroup2", {}};
        std::istringstream opts(options);
        for (std::string opt; std::getline(opts, opt, ',');) mount.controllers.push_back(opt);
        mounts.push_back(std::move(mount));
    }
    return mounts;
}

std::optional<std::string> own_cgroup(const std::string& controller) {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        if (controller.empty() ? controllers.empty() && line.starts_with("0:")
                               : ("," + controllers + ",").find("," + controller + ",") != std::string::npos) {
            return path;
        }
    }
    return std::nullopt;
}

bool remove_cgroup_tree(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return true;
    bool all = true;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_directory(ec)) all = remove_cgroup_tree(entry.path()) && all;
    }
    // cgroup directories hold only virtual files: rmdir, not a recursive delete.
    return ::rmdir(dir.c_str()) == 0 && all;
}

void remove_stale_cgroups(const fs::path& parent) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const std::string name = entry.path().filename().string();
        if (!name.starts_with("lambdalab-")) continue;
        try {
            const int pid = std::stoi(name.substr(10));
            if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) remove_cgroup_tree(entry.path());
        } catch (const std::exception&) {
        }
    }
}

std::string cpu_list(const std::vector<int>& cpus) {
    std::string out;
    for (const int cpu : cpus) out += (out.empty() ? "" : ",") + std::to_string(cpu);
    return out;
}

std::vector<int> parse_cpu_list(const std::string& text) {
    std::vector<int> cpus;
    std::istringstream in(text);
    for (std::string part; std::getline(in, part, ',');) {
        if (part.empty() || part == "\n") continue;
        const auto dash = part.find('-');
        try {
            const int first = std::stoi(part.substr(0, dash));
            const int last = dash == std::string::npos ? first : std::stoi(part.substr(dash + 1));
            for (int cpu = first; cpu <= last; ++cpu) cpus.push_back(cpu);
        } catch (const std::exception&) {
        }
    }
    return cpus;
}

}  // namespace lambdalab::sandbox
