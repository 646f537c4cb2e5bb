#include "api/functions_handler.hpp"

#include <nlohmann/json.hpp>

#include "api/aws_reply.hpp"
#include "api/function_lookup.hpp"
#include "control/function_registry.hpp"
#include "scheduler/scheduler.hpp"

namespace lambdalab::api {

namespace http = net::http;
using nlohmann::json;

namespace {

json parse_body(const net::Request& request) {
    json body =
        json::parse(request.body().empty() ? std::string_view("{}") : std::string_view(request.body()), nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        throw AwsException({400, "InvalidRequestContentException", "Could not parse request body into json", {}});
    }
    return body;
}

}  // namespace

FunctionsHandler::FunctionsHandler(control::FunctionRegistry& registry, scheduler::Scheduler& scheduler)
    : registry_(registry), scheduler_(scheduler) {}

std::string FunctionsHandler::function_name(const std::string& in_path) const {
    return resolve_function(registry_, in_path, std::nullopt).function->name;
}

namespace {
bool answer(net::Responder& responder, net::Response response) {
    responder(std::move(response));
    return true;
}

std::optional<std::string> query(const RequestTarget& target, const char* key) {
    const auto it = target.query.find(key);
    return it == target.query.end() ? std::nullopt : std::optional(it->second);
}
}  // namespace

bool FunctionsHandler::handle(const RequestTarget& target, const net::Request& request, net::Responder& responder) {
    const auto& s = target.segments;
    const auto method = request.method();
    const auto reply = [&responder](net::Response response) { return answer(responder, std::move(response)); };
    if (s.size() >= 2 && s[1] == "account-settings" && s[0] == "2016-08-19" && method == http::verb::get) {
        return reply(account_settings());
    }
    if (s.size() < 2 || s[1] != "functions") return false;
    const std::string& version = s[0];

    if (version == "2015-03-31") {
        if (s.size() == 2 && method == http::verb::post) return reply(create(request));
        if (s.size() == 2 && method == http::verb::get) return reply(list(target));
        if (s.size() == 3 && method == http::verb::get) return reply(get(target));
        if (s.size() == 3 && method == http::verb::delete_) return reply(remove(target));
        if (s.size() == 4 && s[3] == "configuration" && method == http::verb::get) return reply(configuration(target));
        if (s.size() == 4 && s[3] == "configuration" && method == http::verb::put) {
            return reply(update_configuration(s[2], request));
        }
        if (s.size() == 4 && s[3] == "code" && method == http::verb::put) return reply(update_code(s[2], request));
        if (handle_versions_and_aliases(target, request, responder)) return true;
    }
    if (s.size() == 4 && s[3] == "concurrency") {
        if (version == "2017-10-31" && method == http::verb::put) return reply(put_concurrency(s[2], request));
        if (version == "2017-10-31" && method == http::verb::delete_) return reply(delete_concurrency(s[2]));
        if (version == "2019-09-30" && method == http::verb::get) return reply(get_concurrency(s[2]));
    }
    return handle_async_and_provisioned(target, request, responder);
}

bool FunctionsHandler::handle_versions_and_aliases(const RequestTarget& target, const net::Request& request,
                                                   net::Responder& responder) {
    const auto& s = target.segments;
    const auto method = request.method();
    const auto reply = [&responder](net::Response response) { return answer(responder, std::move(response)); };
    if (s.size() < 4) return false;
    const std::string name = function_name(s[2]);
    const auto& account = registry_.account();
    if (s[3] == "versions" && s.size() == 4) {
        if (method == http::verb::post) {
            const json body = parse_body(request);
            const auto version = registry_.publish_version(name, body.value("Description", ""));
            return reply(json_reply(http::status::created, control::to_api_json(*version, account)));
        }
        if (method == http::verb::get) {
            json out = {{"Versions", json::array()}};
            for (const auto& version : registry_.versions(name)) {
                json entry = control::to_api_json(*version, account);
                if (version->version == "$LATEST")
                    entry["FunctionArn"] = control::function_arn(account, name, "$LATEST");
                out["Versions"].push_back(std::move(entry));
            }
            return reply(json_reply(http::status::ok, out));
        }
    }
    if (s[3] != "aliases") return false;
    if (s.size() == 4 && method == http::verb::post) {
        return reply(
            json_reply(http::status::created,
                       control::to_alias_json(registry_.create_alias(name, parse_body(request)), name, account)));
    }
    if (s.size() == 4 && method == http::verb::get) {
        json out = {{"Aliases", json::array()}};
        for (const auto& [alias, config] : registry_.get(name)->aliases)
            out["Aliases"].push_back(control::to_alias_json(config, name, account));
        return reply(json_reply(http::status::ok, out));
    }
    if (s.size() != 5) return false;
    if (method == http::verb::get)
        return reply(json_reply(http::status::ok, control::to_alias_json(registry_.alias(name, s[4]), name, account)));
    if (method == http::verb::put) {
        return reply(
            json_reply(http::status::ok,
                       control::to_alias_json(registry_.update_alias(name, s[4], parse_body(request)), name, account)));
    }
    if (method == http::verb::delete_) {
        registry_.delete_alias(name, s[4]);
        return reply(empty_reply(http::status::no_content));
    }
    return false;
}

bool FunctionsHandler::handle_async_and_provisioned(const RequestTarget& target, const net::Request& request,
                                                    net::Responder& responder) {
    const auto& s = target.segments;
    const auto method = request.method();
    const auto reply = [&responder](net::Response response) { return answer(responder, std::move(response)); };
    if (s.size() < 4) return false;
    const auto& account = registry_.account();
    if (s[0] == "2019-09-30" && s[3] == "provisioned-concurrency" && s.size() == 4) {
        const std::string name = function_name(s[2]);
        const std::string qualifier = query(target, "Qualifier").value_or("");
        if (method == http::verb::get && query(target, "List")) {
            json out = {{"ProvisionedConcurrencyConfigs", json::array()}};
            for (const auto& [q, count] : registry_.get(name)->provisioned) {
                json item = json::parse(provisioned_config(name, q).body());
                item["FunctionArn"] = control::function_arn(account, name, q);
                out["ProvisionedConcurrencyConfigs"].push_back(std::move(item));
            }
            return reply(json_reply(http::status::ok, out));
        }
        if (method == http::verb::put) {
            const json body = parse_body(request);
            if (!body.contains("ProvisionedConcurrentExecutions") ||
                !body["ProvisionedConcurrentExecutions"].is_number_integer()) {
                throw_invalid_parameter("ProvisionedConcurrentExecutions is required and must be an integer");
            }
            scheduler_.put_provisioned_concurrency(name, qualifier, body["ProvisionedConcurrentExecutions"].get<int>());
            net::Response response = provisioned_config(name, qualifier);
            response.result(http::status::accepted);
            return reply(std::move(response));
        }
        if (method == http::verb::get) {
            if (!registry_.get(name)->provisioned.contains(qualifier)) {
                throw AwsException({404,
                                    "ProvisionedConcurrencyConfigNotFoundException",
                                    "No Provisioned Concurrency Config found for this function",
                                    {}});
            }
            return reply(provisioned_config(name, qualifier));
        }
        if (method == http::verb::delete_) {
            registry_.set_provisioned(name, qualifier, std::nullopt);
            return reply(empty_reply(http::status::no_content));
        }
    }
    if (s[0] == "2019-09-25" && s[3] == "event-invoke-config") {
        const std::string name = function_name(s[2]);
        if (s.size() == 5 && s[4] == "list" && method == http::verb::get) {
            json out = {{"FunctionEventInvokeConfigs", json::array()}};
            if (const auto config = registry_.get(name); config->event_invoke) {
                out["FunctionEventInvokeConfigs"].push_back(
                    control::to_event_invoke_json(*config->event_invoke, name, account));
            }
            return reply(json_reply(http::status::ok, out));
        }
        if (s.size() != 4) return false;
        if (method == http::verb::put || method == http::verb::post) {
            const auto config =
                registry_.set_event_invoke(name, parse_body(request), /*merge=*/method == http::verb::post);
            return reply(
                json_reply(http::status::ok, control::to_event_invoke_json(*config->event_invoke, name, account)));
        }
        if (method == http::verb::get) {
            const auto config = registry_.get(name);
            if (!config->event_invoke) {
                throw AwsException(
                    {404,
                     "ResourceNotFoundException",
                     "The function " + control::function_arn(account, name) + " doesn't have an EventInvokeConfig",
                     {}});
            }
            return reply(
                json_reply(http::status::ok, control::to_event_invoke_json(*config->event_invoke, name, account)));
        }
        if (method == http::verb::delete_) {
            registry_.delete_event_invoke(name);
            return reply(empty_reply(http::status::no_content));
        }
    }
    return false;
}

net::Response FunctionsHandler::provisioned_config(const std::string& name, const std::string& qualifier) {
    const auto config = registry_.get(name);
    const int requested = config->provisioned.at(qualifier);
    const int allocated = scheduler_.provisioned_allocated(name, qualifier);
    return json_reply(http::status::ok, {{"RequestedProvisionedConcurrentExecutions", requested},
                                         {"AvailableProvisionedConcurrentExecutions", allocated},
                                         {"AllocatedProvisionedConcurrentExecutions", allocated},
                                         {"Status", allocated >= requested ? "READY" : "IN_PROGRESS"},
                                         {"LastModified", config->last_modified}});
}

net::Response FunctionsHandler::create(const net::Request& request) {
    const auto config = registry_.create(parse_body(request));
    return json_reply(http::status::created, control::to_api_json(*config, registry_.account()));
}

net::Response FunctionsHandler::list(const RequestTarget& target) {
    const auto functions = registry_.list();
    std::size_t start = 0;
    std::size_t max_items = 50;
    try {
        if (auto it = target.query.find("Marker"); it != target.query.end()) start = std::stoul(it->second);
        if (auto it = target.query.find("MaxItems"); it != target.query.end()) max_items = std::stoul(it->second);
    } catch (const std::exception&) {
        throw_invalid_parameter("Marker and MaxItems must be numbers");
    }
    if (max_items < 1 || max_items > 10000) throw_invalid_parameter("MaxItems must be between 1 and 10000");
    json out = {{"Functions", json::array()}};
    for (std::size_t i = start; i < functions.size() && i < start + max_items; ++i) {
        out["Functions"].push_back(control::to_api_json(*functions[i], registry_.account()));
    }
    if (start + max_items < functions.size()) out["NextMarker"] = std::to_string(start + max_items);
    return json_reply(http::status::ok, out);
}

net::Response FunctionsHandler::get(const RequestTarget& target) {
    const auto config = resolve_function(registry_, target.segments[2], query(target, "Qualifier")).function;
    json out = {{"Configuration", control::to_api_json(*config, registry_.account())},
                {"Code", {{"RepositoryType", "S3"}, {"Location", "file://" + config->code_dir.string()}}},
                {"Tags", json::object()}};
    if (config->reserved_concurrency)
        out["Concurrency"] = {{"ReservedConcurrentExecutions", *config->reserved_concurrency}};
    return json_reply(http::status::ok, out);
}

net::Response FunctionsHandler::remove(const RequestTarget& target) {
    const std::string name = function_name(target.segments[2]);
    const auto qualifier = query(target, "Qualifier");
    if (qualifier) {
        registry_.delete_version(name, *qualifier);
    } else {
        registry_.remove(name);
    }
    return empty_reply(http::status::no_content);
}

net::Response FunctionsHandler::configuration(const RequestTarget& target) {
    const auto config = resolve_function(registry_, target.segments[2], query(target, "Qualifier")).function;
    return json_reply(http::status::ok, control::to_api_json(*config, registry_.account()));
}

net::Response FunctionsHandler::update_configuration(const std::string& name, const net::Request& request) {
    const auto config = registry_.update_configuration(function_name(name), parse_body(request));
    return json_reply(http::status::ok, control::to_api_json(*config, registry_.account()));
}

net::Response FunctionsHandler::update_code(const std::string& name, const net::Request& request) {
    const auto config = registry_.update_code(function_name(name), parse_body(request));
    return json_reply(http::status::ok, control::to_api_json(*config, registry_.account()));
}

net::Response FunctionsHandler::put_concurrency(const std::string& name, const net::Request& request) {
    const json body = parse_body(request);
    if (!body.contains("ReservedConcurrentExecutions") || !body["ReservedConcurrentExecutions"].is_number_integer()) {
        throw_invalid_parameter("ReservedConcurrentExecutions is required and must be an integer");
    }
    const int reserved = body["ReservedConcurrentExecutions"].get<int>();
    if (reserved < 0) {
        throw_invalid_parameter(
            "1 validation error detected: Value '" + std::to_string(reserved) +
            "' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value "
            "greater than or equal to 0");
    }
    scheduler_.put_reserved_concurrency(function_name(name), reserved);
    return json_reply(http::status::ok, {{"ReservedConcurrentExecutions", reserved}});
}

net::Response FunctionsHandler::get_concurrency(const std::string& name) {
    const auto config = registry_.get(function_name(name));
    json out = json::object();
    if (config->reserved_concurrency) out["ReservedConcurrentExecutions"] = *config->reserved_concurrency;
    return json_reply(http::status::ok, out);
}

net::Response FunctionsHandler::delete_concurrency(const std::string& name) {
    registry_.set_reserved_concurrency(function_name(name), std::nullopt);
    return empty_reply(http::status::no_content);
}

net::Response FunctionsHandler::account_settings() {
    const auto& profile = scheduler_.profile();
    const auto& fleet = scheduler_.fleet();
    return json_reply(http::status::ok,
                      {{"AccountLimit",
                        {{"TotalCodeSize", 80530636800LL},
                         {"CodeSizeUnzipped", 262144000},
                         {"CodeSizeZipped", 52428800},
                         {"ConcurrentExecutions", profile.concurrency.account_limit},
                         {"UnreservedConcurrentExecutions", fleet.unreserved_limit()}}},
                       {"AccountUsage", {{"TotalCodeSize", 0}, {"FunctionCount", registry_.list().size()}}}});
}

}  // namespace lambdalab::api
