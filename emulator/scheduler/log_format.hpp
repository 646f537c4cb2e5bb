#pragma once
// Lambda's platform log lines, byte for byte (reference/runtime-api.md §2.6): tab-separated with a
// trailing tab, durations with two decimals, Billed Duration a whole number, Init Duration after
// Max Memory Used and only on cold starts.
#include <cstdint>
#include <optional>
#include <string>

namespace lambdalab::scheduler {

struct ReportFields {
    std::string request_id;
    double duration_ms = 0;
    std::int64_t billed_duration_ms = 0;
    int memory_size_mb = 0;
    int max_memory_used_mb = 0;
    std::optional<double> init_duration_ms;
    std::string status;      // "", "timeout" or "error"
    std::string error_type;  // with status "error"
};

std::string start_line(const std::string& request_id, const std::string& version);
std::string end_line(const std::string& request_id);
std::string report_line(const ReportFields& fields);
std::string init_start_line(const std::string& runtime_version, const std::string& region);
std::string init_report_line(double init_duration_ms, const std::string& phase, const std::string& status,
                             const std::string& error_type);
// "2020-11-10T05:46:57.874Z <id> Task timed out after 3.00 seconds"
std::string timeout_line(const std::string& timestamp, const std::string& request_id, double seconds);
std::string timeout_message(double seconds);

// The last `limit` bytes of a log, as X-Amz-Log-Result carries it (base64 of the tail).
std::string log_tail_base64(const std::string& log, std::size_t limit = 4096);

}  // namespace lambdalab::scheduler
