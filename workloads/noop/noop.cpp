// noop: answers every event with {} and does nothing else. The baseline for the emulator's own overhead.
#include <lambdalab/runtime.hpp>

int main() {
    return lambdalab::runtime::run([](const std::string&, const lambdalab::runtime::Context&) {
        return lambdalab::runtime::Result::success("{}");
    });
}
