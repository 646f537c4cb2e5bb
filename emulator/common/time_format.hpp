#pragma once
// Wall-clock times in the formats Lambda prints.
#include <chrono>
#include <cstdint>
#include <string>

namespace lambdalab {

using WallTime = std::chrono::system_clock::time_point;

std::int64_t epoch_ms(WallTime t);
inline std::int64_t epoch_ms_now() {
    return epoch_ms(std::chrono::system_clock::now());
}
// 2020-11-10T05:46:57.874Z (log lines)
std::string iso8601_ms(WallTime t);
// 2019-08-14T22:26:11.234+0000 (FunctionConfiguration.LastModified)
std::string lambda_timestamp(WallTime t);
// 2020/01/14 (log stream name prefix)
std::string log_stream_date(WallTime t);
// "%.2f" of milliseconds, as Duration and Init Duration are printed.
std::string two_decimals(double value);

}  // namespace lambdalab
