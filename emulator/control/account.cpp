#include "control/account.hpp"

namespace lambdalab::control {

std::string function_arn(const Account& account, const std::string& name, const std::string& qualifier) {
    std::string arn = "arn:aws:lambda:" + account.region + ":" + account.id + ":function:" + name;
    if (!qualifier.empty()) arn += ":" + qualifier;
    return arn;
}

}  // namespace lambdalab::control
