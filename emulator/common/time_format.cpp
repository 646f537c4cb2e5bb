#include "common/time_format.hpp"

#include <cstdio>
#include <ctime>

namespace lambdalab {

namespace {
std::tm utc(WallTime t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    return tm;
}
int millis_part(WallTime t) {
    return static_cast<int>(epoch_ms(t) % 1000);
}
}  // namespace

std::int64_t epoch_ms(WallTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string iso8601_ms(WallTime t) {
    const std::tm tm = utc(t);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, millis_part(t));
    return buf;
}

std::string lambda_timestamp(WallTime t) {
    const std::tm tm = utc(t);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+0000", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis_part(t));
    return buf;
}

std::string log_stream_date(WallTime t) {
    const std::tm tm = utc(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

std::string two_decimals(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", value);
    return buf;
}

}  // namespace lambdalab
