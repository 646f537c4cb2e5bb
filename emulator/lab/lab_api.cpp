#include "lab/lab_api.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "lab/lab_schema.hpp"
#include "lab/run_store.hpp"
#include "store/sqlite.hpp"

namespace lambdalab::lab {

namespace http = net::http;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxPage = 1000;

struct ApiError {
    http::status status;
    std::string code;
    std::string message;
};

net::Response reply(http::status status, const json& body) {
    auto response = net::make_response(status, body.dump(), "application/json");
    response.set(http::field::cache_control, "no-store");
    return response;
}

[[noreturn]] void bad_request(const std::string& message) {
    throw ApiError{http::status::bad_request, "BadRequest", message};
}

json body_of(const net::Request& request) {
    if (request.body().empty()) return json::object();
    json body = json::parse(request.body(), nullptr, false);
    if (body.is_discarded()) bad_request("the body is not valid JSON");
    return body;
}

std::int64_t run_id(const std::string& text) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
        throw ApiError{http::status::not_found, "NotFound", "no run '" + text + "'"};
    }
    return id;
}

std::int64_t query_int(const api::RequestTarget& target, const char* key, std::int64_t fallback, std::int64_t low,
                       std::int64_t high) {
    const auto it = target.query.find(key);
    if (it == target.query.end()) return fallback;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    if (ec != std::errc() || end != it->second.data() + it->second.size() || value < low || value > high) {
        bad_request(std::string(key) + " must be an integer between " + std::to_string(low) + " and " +
                    std::to_string(high));
    }
    return value;
}

std::optional<std::string> query_text(const api::RequestTarget& target, const char* key) {
    const auto it = target.query.find(key);
    if (it == target.query.end()) return std::nullopt;
    return it->second;
}

void method_not_allowed(const net::Request& request) {
    throw ApiError{http::status::method_not_allowed, "MethodNotAllowed",
                   std::string(request.method_string()) + " is not allowed on " + std::string(request.target())};
}

std::string required_string(const json& body, const char* key) {
    if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty()) {
        bad_request(std::string(key) + " is required (a non-empty string)");
    }
    return body[key].get<std::string>();
}

}  // namespace

LabApi::LabApi(const std::filesystem::path& database, LabInfo info)
    : info_(std::move(info)), db_(std::make_unique<store::Connection>(database.string())) {
    db_->exec("PRAGMA journal_mode=WAL");
    db_->exec("PRAGMA synchronous=NORMAL");
    migrate_lab(*db_);
    runs_ = std::make_unique<RunStore>(*db_);
}

LabApi::~LabApi() = default;

bool LabApi::handle(const api::RequestTarget& target, net::Request& request, net::Responder& responder) {
    const auto& s = target.segments;
    if (s.size() < 2 || s[0] != "api" || (s[1] != "runs" && s[1] != "lab")) return false;
    try {
        responder(route(target, request));
    } catch (const ApiError& e) {
        responder(reply(e.status, {{"error", e.code}, {"message", e.message}}));
    } catch (const nlohmann::json::exception& e) {
        responder(reply(http::status::bad_request, {{"error", "BadRequest"}, {"message", e.what()}}));
    } catch (const RunNotFound& e) {
        responder(reply(http::status::not_found, {{"error", "NotFound"}, {"message", e.what()}}));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lambdalab: lab API: %s\n", e.what());
        responder(reply(http::status::internal_server_error, {{"error", "InternalError"}, {"message", e.what()}}));
    }
    return true;
}

net::Response LabApi::route(const api::RequestTarget& target, net::Request& request) {
    const auto& s = target.segments;
    const auto method = request.method();
    if (s[1] == "lab") {
        if (s.size() != 2) throw ApiError{http::status::not_found, "NotFound", "no such resource"};
        if (method != http::verb::get) method_not_allowed(request);
        return reply(http::status::ok,
                     {{"profile", info_.profile}, {"timeScale", info_.time_scale}, {"region", info_.region}});
    }
    // /api/runs
    if (s.size() == 2) {
        if (method == http::verb::get) {
            return reply(
                http::status::ok,
                {{"runs", runs_->list_runs(static_cast<std::size_t>(query_int(target, "limit", 50, 1, kMaxPage)))}});
        }
        if (method == http::verb::post) {
            const json body = body_of(request);
            NewRun run;
            run.name = required_string(body, "name");
            run.kind = body.value("kind", "suite");
            if (run.kind != "suite" && run.kind != "tune") bad_request("kind must be suite or tune");
            run.suite = body.value("suite", json::object());
            run.endpoint = body.value("endpoint", "");
            run.environment = body.value("environment", json::object());
            run.environment["profile"] = info_.profile;
            const std::int64_t id = runs_->create_run(run);
            return reply(http::status::created, {{"id", id}});
        }
        method_not_allowed(request);
    }
    const std::int64_t id = run_id(s[2]);
    if (s.size() == 3) {
        if (method != http::verb::get) method_not_allowed(request);
        const bool stats = query_text(target, "stats").value_or("true") != "false";
        return reply(http::status::ok, runs_->run(id, stats));
    }
    const std::string& what = s[3];
    if (what == "variants" && s.size() == 4) {
        if (method != http::verb::post) method_not_allowed(request);
        const json body = body_of(request);
        const std::string name = required_string(body, "name");
        runs_->add_variant(id, name, body.value("position", 0), body.value("config", json::object()));
        return reply(http::status::created, {{"run", id}, {"name", name}});
    }
    if (what == "variants" && s.size() == 5) {
        if (method != http::verb::put && method != http::verb::patch) method_not_allowed(request);
        json body = body_of(request);
        if (body.contains("status")) {
            static const std::vector<std::string> statuses = {"pending", "running",    "complete",
                                                              "skipped", "incomplete", "failed"};
            if (!body["status"].is_string() ||
                std::find(statuses.begin(), statuses.end(), body["status"].get<std::string>()) == statuses.end()) {
                bad_request("status must be one of pending, running, complete, skipped, incomplete, failed");
            }
        }
        runs_->update_variant(id, s[4], body);
        return reply(http::status::ok, {{"run", id}, {"name", s[4]}});
    }
    if (what == "samples" && s.size() == 4) {
        if (method == http::verb::post) {
            const json body = body_of(request);
            const json& samples = body.is_array() ? body : body.value("samples", json::array());
            if (!samples.is_array()) bad_request("samples must be an array");
            for (const auto& sample : samples) {
                if (!sample.is_object() || !sample.contains("variant") || !sample["variant"].is_string()) {
                    bad_request("every sample needs a variant");
                }
            }
            return reply(http::status::ok, {{"added", runs_->add_samples(id, samples)}});
        }
        if (method != http::verb::get) method_not_allowed(request);
        const auto rows = runs_->samples(id, query_text(target, "variant"), query_int(target, "after", 0, 0, INT64_MAX),
                                         static_cast<std::size_t>(query_int(target, "limit", 100, 1, kMaxPage)));
        return reply(http::status::ok, {{"samples", rows}});
    }
    if (what == "invocations" && s.size() == 4) {
        if (method != http::verb::get) method_not_allowed(request);
        const auto rows =
            runs_->invocations(id, query_text(target, "variant"), query_int(target, "after", 0, 0, INT64_MAX),
                               static_cast<std::size_t>(query_int(target, "limit", 100, 1, kMaxPage)));
        return reply(http::status::ok, {{"invocations", rows}});
    }
    if (what == "finish" && s.size() == 4) {
        if (method != http::verb::post) method_not_allowed(request);
        const json body = body_of(request);
        const std::string status = body.value("status", "complete");
        if (status != "complete" && status != "incomplete" && status != "failed") {
            bad_request("status must be complete, incomplete or failed");
        }
        runs_->finish_run(id, body);
        return reply(http::status::ok, runs_->run(id, true));
    }
    throw ApiError{http::status::not_found, "NotFound", "no such resource: " + std::string(request.target())};
}

}  // namespace lambdalab::lab
