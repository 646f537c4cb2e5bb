// lambdalab runs: the stored runs, newest first (from the store, or a running emulator's lab API).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "lab/lab_schema.hpp"
#include "lab/lambda_client.hpp"
#include "lab/report.hpp"
#include "lab/run_store.hpp"
#include "store/sqlite.hpp"

namespace lambdalab::cli {

namespace {
struct RunsOptions {
    std::filesystem::path data_dir = ".lambdalab";
    std::string endpoint;
    std::size_t limit = 50;
    bool json = false;
};
}  // namespace

void add_runs_command(CLI::App& app) {
    auto options = std::make_shared<RunsOptions>();
    auto* cmd = app.add_subcommand("runs", "List the benchmark runs, newest first");
    cmd->add_option("--data-dir", options->data_dir, "The emulator's data directory (its store)")
        ->capture_default_str();
    cmd->add_option("--endpoint", options->endpoint, "Ask a running emulator's lab API instead of reading the store");
    cmd->add_option("--limit", options->limit, "How many runs")->capture_default_str();
    cmd->add_flag("--json", options->json, "Print JSON (as GET /api/runs answers)");
    cmd->callback([options] {
        nlohmann::json runs = nlohmann::json::array();
        if (!options->endpoint.empty()) {
            runs = lab::LambdaClient(options->endpoint).list_runs(options->limit);
        } else {
            const auto db_path = options->data_dir / "lambdalab.db";
            if (!std::filesystem::exists(db_path))
                throw CLI::ValidationError("--data-dir", "no store at " + db_path.string());
            store::Connection db(db_path.string(), /*read_only=*/true);
            if (lab::has_lab_tables(db)) runs = lab::RunStore(db).list_runs(options->limit);
        }
        if (options->json)
            std::printf("%s\n", nlohmann::json{{"runs", runs}}.dump(2).c_str());
        else
            std::printf("%s", lab::runs_text(runs).c_str());
    });
}

}  // namespace lambdalab::cli
