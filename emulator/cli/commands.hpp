#pragma once
// The subcommands of the `lambdalab` command line.
#include <CLI/App.hpp>
#include <filesystem>
#include <string>

namespace lambdalab::lab {
struct Suite;
struct RunResult;
struct RunnerOptions;
}  // namespace lambdalab::lab

namespace lambdalab::cli {

void add_serve_command(CLI::App& app);
void add_invoke_command(CLI::App& app);
void add_logs_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_runs_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_tune_command(CLI::App& app);

// Where a lab run goes: a running emulator (endpoint), or one started in-process on a free port
// with the store in data_dir (bench_command.cpp; shared by bench and tune).
struct LabTarget {
    std::string endpoint;  // empty: in-process
    std::filesystem::path data_dir = ".lambdalab";
    std::filesystem::path functions_file;  // in-process: declared at start (besides the suite's)
};
// Runs a suite with Ctrl-C handling (the run is kept, marked incomplete) and a progress line on
// stderr. Throws std::runtime_error when the emulator cannot be started or reached.
lab::RunResult run_lab(const lab::Suite& suite, const LabTarget& target, lab::RunnerOptions& runner);

}  // namespace lambdalab::cli
