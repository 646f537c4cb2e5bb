#pragma once
// The subcommands of the `lambdalab` command line.
#include <CLI/App.hpp>

namespace lambdalab::cli {

void add_serve_command(CLI::App& app);
void add_invoke_command(CLI::App& app);
void add_logs_command(CLI::App& app);

}  // namespace lambdalab::cli
