#pragma once
// A request target split the way the Lambda REST API needs it: percent-decoded path segments and
// query parameters (SDKs percent-encode ARNs in the path: arn%3Aaws%3Alambda...).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lambdalab::api {

// nullopt for a malformed escape (%zz, a truncated %4).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

struct RequestTarget {
    std::vector<std::string> segments;  // decoded; "/a/b/" gives {"a", "b"}
    std::map<std::string, std::string> query;
};

std::optional<RequestTarget> parse_target(std::string_view target);

}  // namespace lambdalab::api
