// lambdalab: a local AWS Lambda emulator and benchmark lab.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"lambdalab: run AWS Lambda functions locally under Lambda's rules, and measure them"};
    app.require_subcommand(1);
    lambdalab::cli::add_serve_command(app);
    lambdalab::cli::add_invoke_command(app);
    lambdalab::cli::add_logs_command(app);
    lambdalab::cli::add_bench_command(app);
    lambdalab::cli::add_runs_command(app);
    lambdalab::cli::add_report_command(app);
    lambdalab::cli::add_tune_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "lambdalab: %s\n", e.what());
        return 1;
    }
    return 0;
}
