#pragma once
// Identifiers in Lambda's formats.
#include <string>

namespace lambdalab {

// A random version-4 UUID, lower case: request ids, revision ids.
std::string new_uuid();
// `n` random lower-case hex digits: sandbox ids (the log stream suffix is 32 of them).
std::string random_hex(std::size_t n);

}  // namespace lambdalab
