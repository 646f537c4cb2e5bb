#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/commands.hpp"
#include "common/time_format.hpp"
#include "store/store.hpp"

namespace lambdalab::cli {

namespace {
struct LogsOptions {
    std::string function;
    std::filesystem::path data_dir = ".lambdalab";
    std::size_t limit = 20;
};
}  // namespace

void add_logs_command(CLI::App& app) {
    auto options = std::make_shared<LogsOptions>();
    auto* cmd =
        app.add_subcommand("logs", "Print a function's recent logs (START/END/REPORT and its output) from the store");
    cmd->add_option("function", options->function, "Function name")->required();
    cmd->add_option("--data-dir", options->data_dir, "The emulator's data directory")->capture_default_str();
    cmd->add_option("--limit", options->limit, "How many invocations (log blocks) to show")->capture_default_str();
    cmd->callback([options] {
        const auto db = options->data_dir / "lambdalab.db";
        if (!std::filesystem::exists(db)) throw CLI::ValidationError("--data-dir", "no store at " + db.string());
        store::StoreReader reader(db);
        for (const auto& record : reader.logs(options->function, options->limit)) {
            std::printf("%s", record.message.c_str());
            if (!record.message.empty() && record.message.back() != '\n') std::printf("\n");
        }
    });
}

}  // namespace lambdalab::cli
