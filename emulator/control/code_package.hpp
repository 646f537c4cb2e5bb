#pragma once
// Function code: a zip uploaded through the API, unpacked into the data dir, or a local directory
// declared in a functions file. Either way the emulator knows its size and its SHA-256.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace lambdalab::control {

struct CodePackage {
    std::filesystem::path dir;
    std::int64_t size = 0;  // the zip's size; for a directory, the total size of its files
    std::string sha256;     // base64 of the SHA-256, as CodeSha256
};

inline constexpr std::int64_t kMaxUnzippedBytes = 262144000;  // Lambda's 250 MB unzipped limit

// Unpacks a zip into `dest` (created; must not exist), keeping Unix permissions and refusing entries
// that would land outside it. Throws AwsException (InvalidParameterValueException) for a bad zip.
CodePackage unpack_zip(std::string_view zip_bytes, const std::filesystem::path& dest);

// Describes an existing code directory. Throws AwsException if it is not a directory.
CodePackage describe_directory(const std::filesystem::path& dir);

std::string sha256_base64(std::string_view data);

}  // namespace lambdalab::control
