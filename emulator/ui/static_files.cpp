#include "ui/static_files.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#ifndef LAMBDALAB_SOURCE_DIR
#define LAMBDALAB_SOURCE_DIR "."
#endif

namespace lambdalab::ui {

namespace fs = std::filesystem;
namespace http = net::http;

namespace {

// Everything the pages load comes from this origin: no CDN, works offline. Chart.js sizes its
// canvases through style attributes, hence 'unsafe-inline' for styles (never for scripts).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

std::string html_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

net::Response html_page(http::status status, std::string_view title, const std::string& body_html) {
    std::string page =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html_escape(title) +
        " - lambdalab</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:4rem auto;"
        "padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:3px}"
        "h1{font-size:1.4rem}</style></head><body><h1>" +
        html_escape(title) + "</h1>" + body_html + "</body></html>\n";
    auto response = net::make_response(status, std::move(page), "text/html; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    return response;
}

bool safe_segment(const std::string& segment) {
    if (segment.empty() || segment.front() == '.') return false;  // "..", ".", hidden files
    return segment.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos;
}

std::optional<std::string> read_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return std::nullopt;
    return data;
}

// A weak validator from size and modification time: enough to answer 304 to a browser's reload.
std::string etag_of(const fs::path& file, std::uintmax_t size) {
    std::error_code ec;
    const auto mtime = fs::last_write_time(file, ec);
    std::ostringstream out;
    out << "W/\"" << std::hex << size << '-' << (ec ? 0 : mtime.time_since_epoch().count()) << '"';
    return out.str();
}

bool etag_matches(std::string_view header, std::string_view etag) {
    if (header == "*") return true;
    // A comma-separated list of tags; weak comparison (W/ prefixes ignored).
    const auto strip = [](std::string_view tag) {
        while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
        while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        return tag;
    };
    const std::string_view wanted = strip(etag);
    while (!header.empty()) {
        const auto comma = header.find(',');
        if (strip(header.substr(0, comma)) == wanted) return true;
        if (comma == std::string_view::npos) break;
        header.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

std::vector<fs::path> default_web_ui_dirs() {
    if (const char* overridden = std::getenv("LAMBDALAB_WEB_UI_DIR"); overridden && *overridden) {
        return {fs::path(overridden)};
    }
    std::vector<fs::path> dirs;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(exe.parent_path() / "web-ui");
    dirs.push_back(fs::path(LAMBDALAB_SOURCE_DIR) / "web-ui" / "dist");
    return dirs;
}

std::string_view content_type_of(const fs::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

std::optional<fs::path> resolve_asset(const fs::path& root, const std::vector<std::string>& segments) {
    if (segments.empty()) return root / "index.html";
    fs::path file = root;
    for (const auto& segment : segments) {
        if (!safe_segment(segment)) return std::nullopt;
        file /= segment;
    }
    return file;
}

std::optional<fs::path> StaticFiles::root() const {
    for (const auto& dir : candidates_) {
        std::error_code ec;
        if (fs::is_regular_file(dir / "index.html", ec)) return dir;
    }
    return std::nullopt;
}

net::Response StaticFiles::serve(const std::vector<std::string>& segments, const net::Request& request) const {
    const auto dir = root();
    if (!dir) {
        std::string searched;
        for (const auto& candidate : candidates_)
            searched += "<li><code>" + html_escape(candidate.string()) + "</code></li>";
        return html_page(
            http::status::service_unavailable, "The web UI is not built",
            "<p>lambdalab's Lambda API and its JSON API under <code>/api/</code> work, but the web "
            "UI's assets were not found. Install the front-end packages and build:</p>"
            "<p><code>scripts/install-deps.sh &amp;&amp; cmake --build build</code></p>"
            "<p>(or <code>npm ci &amp;&amp; npm run build</code> in <code>web-ui/</code>). Searched:</p><ul>" +
                searched + "</ul>");
    }
    const auto file = resolve_asset(*dir, segments);
    std::error_code ec;
    if (!file || !fs::is_regular_file(*file, ec)) {
        std::string path;
        for (const auto& segment : segments) path += "/" + segment;
        return html_page(http::status::not_found, "Not found",
                         "<p>There is no <code>" + html_escape(path) +
                             "</code> in the web UI.</p>"
                             "<p><a href=\"/\">lambdalab</a></p>");
    }
    const auto size = fs::file_size(*file, ec);
    const std::string etag = etag_of(*file, ec ? 0 : size);
    const bool immutable = !segments.empty() && segments.front() == "assets";

    net::Response response;
    const auto if_none_match = request[http::field::if_none_match];
    if (!if_none_match.empty() && etag_matches(std::string_view(if_none_match.data(), if_none_match.size()), etag)) {
        response = net::Response{http::status::not_modified, 11};
    } else {
        auto data = read_file(*file);
        if (!data)
            return html_page(http::status::internal_server_error, "Cannot read the file",
                             "<p>" + html_escape(file->string()) + "</p>");
        const std::size_t length = data->size();
        response = net::make_response(http::status::ok,
                                      request.method() == http::verb::head ? std::string() : std::move(*data),
                                      content_type_of(*file));
        response.content_length(length);
    }
    response.set(http::field::etag, etag);
    // Bundled assets carry a content hash in their names; everything else is checked on each load.
    response.set(http::field::cache_control, immutable ? "public, max-age=31536000, immutable" : "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    if (file->extension() == ".html") {
        response.set("Content-Security-Policy", kContentSecurityPolicy);
        response.set("Referrer-Policy", "no-referrer");
    }
    return response;
}

}  // namespace lambdalab::ui
