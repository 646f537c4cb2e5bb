#pragma once
// The simulated latency of a DynamoDB call: every answer waits a random time drawn uniformly from
// [mean - jitter, mean + jitter] before it is written.
//
// The default, 4 ± 1 ms, is a same-region call from Lambda or EC2: DynamoDB promises "single-digit
// millisecond" latency, AWS's own troubleshooting guide says "For most atomic operations, such as
// GetItem and PutItem, an average latency is in single-digit milliseconds"
// (repost.aws/knowledge-center/dynamodb-high-latency), and measured client-side p50s of GetItem and
// PutItem on a warm connection in the same region are typically 3-5 ms.
#include <chrono>
#include <random>
#include <string>
#include <string_view>

namespace lambdalab::dynamodb {

struct Latency {
    double mean_ms = 4;
    double jitter_ms = 1;

    static Latency none() { return Latency{0, 0}; }
    // "none" (or "off", "0"), "MS" (no jitter), "MS:JITTER" or "MS±JITTER" / "MS+-JITTER".
    // Throws std::invalid_argument with a usage hint.
    static Latency parse(std::string_view text);

    bool enabled() const { return mean_ms > 0 || jitter_ms > 0; }
    std::chrono::microseconds sample(std::mt19937_64& random) const;
    // "4+-1 ms", "10 ms" or "none".
    std::string describe() const;
};

}  // namespace lambdalab::dynamodb
