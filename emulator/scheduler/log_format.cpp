#include "scheduler/log_format.hpp"

#include "common/base64.hpp"
#include "common/time_format.hpp"

namespace lambdalab::scheduler {

std::string start_line(const std::string& request_id, const std::string& version) {
    return "START RequestId: " + request_id + " Version: " + version + "\n";
}

std::string end_line(const std::string& request_id) {
    return "END RequestId: " + request_id + "\n";
}

std::string report_line(const ReportFields& f) {
    std::string line = "REPORT RequestId: " + f.request_id + "\tDuration: " + two_decimals(f.duration_ms) +
                       " ms\tBilled Duration: " + std::to_string(f.billed_duration_ms) +
                       " ms\tMemory Size: " + std::to_string(f.memory_size_mb) +
                       " MB\tMax Memory Used: " + std::to_string(f.max_memory_used_mb) + " MB\t";
    if (f.init_duration_ms) line += "Init Duration: " + two_decimals(*f.init_duration_ms) + " ms\t";
    if (!f.status.empty()) line += "Status: " + f.status + "\t";
    if (!f.error_type.empty()) line += "Error Type: " + f.error_type + "\t";
    return line + "\n";
}

std::string init_start_line(const std::string& runtime_version, const std::string& region) {
    return "INIT_START Runtime Version: " + runtime_version + "\tRuntime Version ARN: arn:aws:lambda:" + region +
           "::runtime:lambdalab\n";
}

std::string init_report_line(double init_duration_ms, const std::string& phase, const std::string& status,
                             const std::string& error_type) {
    std::string line =
        "INIT_REPORT Init Duration: " + two_decimals(init_duration_ms) + " ms\tPhase: " + phase + "\tStatus: " + status;
    if (!error_type.empty()) line += "\tError Type: " + error_type;
    return line + "\n";
}

std::string timeout_message(double seconds) {
    return "Task timed out after " + two_decimals(seconds) + " seconds";
}

std::string timeout_line(const std::string& timestamp, const std::string& request_id, double seconds) {
    return timestamp + " " + request_id + " " + timeout_message(seconds) + "\n";
}

std::string log_tail_base64(const std::string& log, std::size_t limit) {
    const std::size_t start = log.size() > limit ? log.size() - limit : 0;
    return base64_encode(std::string_view(log).substr(start));
}

}  // namespace lambdalab::scheduler
