#pragma once
// Base64 (RFC 4648, with padding): X-Amz-Log-Result, X-Amz-Client-Context, ZipFile blobs.
#include <optional>
#include <string>
#include <string_view>

namespace lambdalab {

std::string base64_encode(std::string_view data);
// nullopt when the input is not valid base64. Whitespace is not allowed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lambdalab
