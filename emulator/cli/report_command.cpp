// lambdalab report RUN [--compare RUN2]: a run's per-variant statistics, as text, CSV or JSON.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
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

struct ReportOptions {
    std::string run;
    std::string compare;
    std::filesystem::path data_dir = ".lambdalab";
    std::string endpoint;
    std::filesystem::path csv;
    std::filesystem::path json_file;
};

// Runs come from the store (read-only) or from a running emulator's lab API.
class Source {
  public:
    explicit Source(const ReportOptions& options) {
        if (!options.endpoint.empty()) {
            client_ = std::make_unique<lab::LambdaClient>(options.endpoint);
            return;
        }
        const auto path = options.data_dir / "lambdalab.db";
        if (!std::filesystem::exists(path)) throw CLI::ValidationError("--data-dir", "no store at " + path.string());
        db_ = std::make_unique<store::Connection>(path.string(), /*read_only=*/true);
        if (!lab::has_lab_tables(*db_)) throw CLI::ValidationError("run", "no runs in " + path.string());
        runs_ = std::make_unique<lab::RunStore>(*db_);
    }

    // A run by id, or "last" for the newest.
    nlohmann::json get(const std::string& which) {
        std::int64_t id = 0;
        if (which == "last") {
            const auto list = client_ ? client_->list_runs(1) : runs_->list_runs(1);
            if (list.empty()) throw CLI::ValidationError("run", "there are no runs");
            id = list[0]["id"].get<std::int64_t>();
        } else {
            try {
                std::size_t used = 0;
                id = std::stoll(which, &used);
                if (used != which.size()) throw std::invalid_argument(which);
            } catch (const std::exception&) {
                throw CLI::ValidationError("run", "'" + which + "' is not a run id (a number, or last)");
            }
        }
        try {
            return client_ ? client_->run(id, true) : runs_->run(id, true);
        } catch (const lab::RunNotFound& e) {
            throw CLI::ValidationError("run", e.what());
        } catch (const lab::CallError& e) {
            if (e.status() == 404) throw CLI::ValidationError("run", "run " + which + " not found");
            throw;
        }
    }

  private:
    std::unique_ptr<lab::LambdaClient> client_;
    std::unique_ptr<store::Connection> db_;
    std::unique_ptr<lab::RunStore> runs_;
};

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file);
    if (!out) throw CLI::ValidationError("output", "cannot write " + file.string());
    out << text;
}

}  // namespace

void add_report_command(CLI::App& app) {
    auto options = std::make_shared<ReportOptions>();
    auto* cmd = app.add_subcommand("report", "Print a run's per-variant statistics (and export them)");
    cmd->add_option("run", options->run, "Run id, or last")->required();
    cmd->add_option("--compare", options->compare, "Another run to compare with, variant by variant");
    cmd->add_option("--data-dir", options->data_dir, "The emulator's data directory (its store)")
        ->capture_default_str();
    cmd->add_option("--endpoint", options->endpoint, "Ask a running emulator's lab API instead of reading the store");
    cmd->add_option("--csv", options->csv, "Write the per-variant statistics as CSV to this file");
    cmd->add_option("--json", options->json_file, "Write the run with its statistics as JSON to this file");
    cmd->callback([options] {
        Source source(*options);
        const nlohmann::json run = source.get(options->run);
        if (options->compare.empty()) {
            std::printf("%s", lab::report_text(run).c_str());
        } else {
            std::printf("%s", lab::compare_text(run, source.get(options->compare)).c_str());
        }
        if (!options->csv.empty()) write_file(options->csv, lab::report_csv(run));
        if (!options->json_file.empty()) write_file(options->json_file, lab::report_json(run));
    });
}

}  // namespace lambdalab::cli
