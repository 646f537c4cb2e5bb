#pragma once
// The web UI's built assets (index.html and /assets/...), served from a directory on disk: found
// next to the binary (<exe dir>/web-ui, where the build puts the bundle), else in the source tree
// (web-ui/dist, `npm run build`). Looked up on every request, so a UI built after the emulator
// started is served without a restart.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_types.hpp"

namespace lambdalab::ui {

// Where the assets may be, best first: $LAMBDALAB_WEB_UI_DIR if set (and only it), else
// <exe dir>/web-ui, then <source tree>/web-ui/dist.
std::vector<std::filesystem::path> default_web_ui_dirs();

// The Content-Type of a file, by extension (text types in UTF-8); application/octet-stream if unknown.
std::string_view content_type_of(const std::filesystem::path& file);

// The file a request path names under `root`, from its decoded segments ({} is index.html); nullopt
// for any segment that could leave the root or reach a hidden file ("..", ".git", "a/b", NUL).
std::optional<std::filesystem::path> resolve_asset(const std::filesystem::path& root,
                                                   const std::vector<std::string>& segments);

class StaticFiles {
  public:
    explicit StaticFiles(std::vector<std::filesystem::path> candidates) : candidates_(std::move(candidates)) {}

    // The answer to a GET or HEAD of `segments`: the file with its type, length, validators and
    // caching (hashed /assets/ files are immutable, index.html is revalidated), 304 when the
    // client's If-None-Match matches, an HTML 404 for a missing file, and an HTML 503 naming the
    // directories searched when the UI was not built.
    net::Response serve(const std::vector<std::string>& segments, const net::Request& request) const;

    // The first candidate holding index.html, if any.
    std::optional<std::filesystem::path> root() const;

  private:
    std::vector<std::filesystem::path> candidates_;
};

}  // namespace lambdalab::ui
