#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "api/request_target.hpp"
#include "cli/commands.hpp"
#include "common/base64.hpp"
#include "net/http_client.hpp"

namespace lambdalab::cli {

namespace {

struct InvokeOptions {
    std::string function;
    std::string payload = "{}";
    std::string endpoint = "http://127.0.0.1:9000";
    std::string invocation_type = "RequestResponse";
    bool tail = false;
};

int run_invoke(const InvokeOptions& options) {
    const net::Url url = net::parse_url(options.endpoint);
    net::HttpClient client(url.host, url.port);
    net::Request request{
        net::http::verb::post,
        url.path_prefix + "/2015-03-31/functions/" + net::percent_encode(options.function) + "/invocations", 11};
    request.set("X-Amz-Invocation-Type", options.invocation_type);
    if (options.tail) request.set("X-Amz-Log-Type", "Tail");
    request.body() = options.payload;
    const net::Response response = client.send(std::move(request));

    if (const auto log = response.find("X-Amz-Log-Result"); log != response.end()) {
        std::fprintf(stderr, "%s", base64_decode(std::string(log->value())).value_or("").c_str());
    }
    std::fwrite(response.body().data(), 1, response.body().size(), stdout);
    if (!response.body().empty()) std::fputc('\n', stdout);
    if (response.result_int() >= 300) {
        const auto type = response.find("x-amzn-ErrorType");
        std::fprintf(stderr, "lambdalab: HTTP %u %s\n", response.result_int(),
                     type == response.end() ? "" : std::string(type->value()).c_str());
        return 2;
    }
    return response.find("X-Amz-Function-Error") != response.end() ? 1 : 0;
}

}  // namespace

void add_invoke_command(CLI::App& app) {
    auto options = std::make_shared<InvokeOptions>();
    auto* cmd = app.add_subcommand("invoke", "Invoke a function through a running emulator's Invoke API");
    cmd->add_option("function", options->function, "Function name or ARN (name:qualifier allowed)")->required();
    cmd->add_option("--payload", options->payload, "Event JSON")->capture_default_str();
    cmd->add_option("--endpoint", options->endpoint, "The emulator's URL")->capture_default_str();
    cmd->add_option("--invocation-type", options->invocation_type, "RequestResponse, Event or DryRun")
        ->capture_default_str();
    cmd->add_flag("--tail", options->tail, "Print the last 4 KB of the invocation's log to stderr");
    cmd->callback([options] {
        const int code = run_invoke(*options);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace lambdalab::cli
