#include <CLI/CLI.hpp>
#include <memory>

#include "app/emulator.hpp"
#include "cli/commands.hpp"

namespace lambdalab::cli {

void add_serve_command(CLI::App& app) {
    auto options = std::make_shared<app::EmulatorOptions>();
    auto* cmd = app.add_subcommand("serve", "Run the emulator: the Lambda Invoke API and control plane");
    cmd->add_option("--host", options->host, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", options->port, "Port of the Lambda API")->capture_default_str();
    cmd->add_option("--data-dir", options->data_dir, "Where the SQLite store, unpacked code and sandbox /tmp live")
        ->capture_default_str();
    cmd->add_option("--functions", options->functions_file,
                    "JSON file declaring functions (CreateFunction fields plus CodeDirectory)");
    cmd->add_option("--profile", options->profile, "Simulation profile: aws-2026, aws-2018-vpc or none")
        ->capture_default_str();
    cmd->add_option("--time-scale", options->time_scale,
                    "Divide simulated waits (cold-start phases, async retry delays, VPC Pending) by this factor");
    cmd->add_option("--set", options->settings,
                    "Override a profile setting, e.g. --set cold_start.sandbox_boot_ms=0 (repeatable; see README)");
    cmd->add_option("--resource-control", options->resource_control,
                    "How CPU, memory and freezing are enforced: auto, cgroup-v2, cgroup-v1, fallback or none")
        ->capture_default_str();
    cmd->add_option("--runtimes-dir", options->runtimes_dir, "Directory with the Python and Node bootstraps");
    cmd->add_option("--region", options->region, "Region in ARNs and AWS_REGION")->capture_default_str();
    cmd->add_option("--dynamodb-port", options->dynamodb_port,
                    "Port of the DynamoDB API (default 8000, or a free one if 8000 is taken; 0: a free port; -1: off)");
    cmd->add_flag_callback(
        "--no-dynamodb", [options] { options->dynamodb_port = -1; }, "Do not serve the DynamoDB API");
    cmd->add_option("--dynamodb-latency", options->dynamodb_latency,
                    "Latency of each DynamoDB call in ms: none, MS or MS:JITTER (default 4:1, a same-region call)")
        ->capture_default_str();
    cmd->callback([options] {
        app::Emulator emulator(*options);
        emulator.run();
    });
}

}  // namespace lambdalab::cli
