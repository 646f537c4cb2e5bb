#include "common/ids.hpp"

#include <random>

namespace lambdalab {

namespace {
std::mt19937_64& generator() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return rng;
}
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

std::string random_hex(std::size_t n) {
    std::string out(n, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 16 == 0) bits = generator()();
        out[i] = kHex[bits & 0xF];
        bits >>= 4;
    }
    return out;
}

std::string new_uuid() {
    std::string hex = random_hex(32);
    hex[12] = '4';                                                     // version 4
    hex[16] = kHex[8 + (static_cast<unsigned>(generator()()) & 0x3)];  // variant 10xx
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
           hex.substr(20, 12);
}

}  // namespace lambdalab
