#pragma once
// The emulated account and region, and the ARNs built from them.
#include <string>

namespace lambdalab::control {

struct Account {
    std::string region = "us-east-1";
    std::string id = "123456789012";
};

// arn:aws:lambda:us-east-1:123456789012:function:NAME[:QUALIFIER]
std::string function_arn(const Account& account, const std::string& name, const std::string& qualifier = {});

}  // namespace lambdalab::control
