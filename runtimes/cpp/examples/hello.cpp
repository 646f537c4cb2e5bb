// Example provided.al2023 function: echoes the event back inside a greeting.
#include <iostream>
#include <lambdalab/runtime.hpp>

namespace rt = lambdalab::runtime;

int main() {
    return rt::run([](const std::string& event, const rt::Context& context) {
        std::cout << "hello-cpp: request " << context.request_id << ", " << event.size() << " byte event, "
                  << context.remaining_time().count() << " ms left\n";
        // The event is JSON already, so it is spliced in verbatim; an empty payload becomes null.
        return rt::Result::success(R"({"message":"hello from C++","event":)" + (event.empty() ? "null" : event) + "}");
    });
}
