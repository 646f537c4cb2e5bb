#include "control/code_package.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "common/aws_error.hpp"
#include "common/base64.hpp"

namespace lambdalab::control {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad_zip(const std::string& why) {
    throw_invalid_parameter("Could not unzip uploaded file. Please check your file, then try to upload again. (" + why +
                            ")");
}

struct Sha256 {
    Sha256() : ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free) { EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr); }
    void update(std::string_view data) { EVP_DigestUpdate(ctx.get(), data.data(), data.size()); }
    std::string base64() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        EVP_DigestFinal_ex(ctx.get(), digest, &length);
        return base64_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
    }
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx;
};

// The entry's path below `root`, or nullopt if it would escape it (absolute, or through "..").
std::optional<fs::path> contained_path(const fs::path& root, std::string_view name) {
    const fs::path relative = fs::path(name).lexically_normal();
    if (relative.is_absolute() || relative.empty()) return std::nullopt;
    if (!relative.empty() && *relative.begin() == "..") return std::nullopt;
    return root / relative;
}

void write_entry(zip_t* archive, zip_int64_t index, const fs::path& target, std::int64_t& unzipped) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0) bad_zip("unreadable entry");
    unzipped += static_cast<std::int64_t>(stat.size);
    if (unzipped > kMaxUnzippedBytes) {
        throw_invalid_parameter("Unzipped size must be smaller than " + std::to_string(kMaxUnzippedBytes) + " bytes");
    }
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
        zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0), zip_fclose);
    if (!file) bad_zip(std::string("cannot open entry ") + stat.name);
    fs::create_directories(target.parent_path());
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    char buffer[64 * 1024];
    zip_int64_t n;
    while ((n = zip_fread(file.get(), buffer, sizeof buffer)) > 0) out.write(buffer, n);
    if (n < 0 || !out) bad_zip(std::string("cannot extract ") + stat.name);
}

// Unix permission bits from the entry's external attributes, when it was made on Unix.
std::optional<mode_t> unix_mode(zip_t* archive, zip_int64_t index) {
    zip_uint8_t os = 0;
    zip_uint32_t attributes = 0;
    if (zip_file_get_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, &os, &attributes) != 0 ||
        os != ZIP_OPSYS_UNIX) {
        return std::nullopt;
    }
    return static_cast<mode_t>(attributes >> 16);
}

}  // namespace

std::string sha256_base64(std::string_view data) {
    Sha256 sha;
    sha.update(data);
    return sha.base64();
}

CodePackage unpack_zip(std::string_view zip_bytes, const fs::path& dest) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(zip_bytes.data(), zip_bytes.size(), 0, &error);
    if (!source) bad_zip(zip_error_strerror(&error));
    std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open_from_source(source, ZIP_RDONLY, &error),
                                                           zip_discard);
    if (!archive) {
        zip_source_free(source);
        const std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        bad_zip(why);
    }
    fs::create_directories(dest);
    try {
        std::int64_t unzipped = 0;
        const zip_int64_t entries = zip_get_num_entries(archive.get(), 0);
        for (zip_int64_t i = 0; i < entries; ++i) {
            const char* name = zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), 0);
            if (!name) bad_zip("unnamed entry");
            const auto target = contained_path(dest, name);
            if (!target) bad_zip(std::string("entry outside the package: ") + name);
            const auto mode = unix_mode(archive.get(), i);
            if (std::string_view(name).ends_with('/')) {
                fs::create_directories(*target);
                continue;
            }
            if (mode && S_ISLNK(*mode)) continue;  // links could point anywhere; the runtime gets regular files only
            write_entry(archive.get(), i, *target, unzipped);
            // Zips made on Unix keep their modes (a bootstrap stays executable); others get rw-r--r--.
            fs::permissions(*target, static_cast<fs::perms>(mode ? (*mode & 0777) : 0644));
        }
    } catch (...) {
        std::error_code ec;
        fs::remove_all(dest, ec);
        throw;
    }
    return {dest, static_cast<std::int64_t>(zip_bytes.size()), sha256_base64(zip_bytes)};
}

CodePackage describe_directory(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw_invalid_parameter("Code directory " + dir.string() + " does not exist");
    // Hash names and sizes, not contents: cheap for a 50 MB dependency tree, and it changes with the code.
    Sha256 sha;
    std::int64_t size = 0;
    std::vector<std::string> entries;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        const auto bytes = static_cast<std::int64_t>(it->file_size(ec));
        size += bytes;
        entries.push_back(fs::relative(it->path(), dir).string() + ":" + std::to_string(bytes) + ":" +
                          std::to_string(it->last_write_time(ec).time_since_epoch().count()));
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& entry : entries) sha.update(entry + "\n");
    return {fs::absolute(dir), size, sha.base64()};
}

}  // namespace lambdalab::control
