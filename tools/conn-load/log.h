// stderr messages of conn-load. Per-event messages (a refused connect, a rejected request)
// can come from thousands of connections at once, so each kind is printed a few times only.
#pragma once

#include <string>

namespace strata::connload {

// Prints "conn-load: <message>" to stderr.
void logLine(const std::string& message);

// Prints the first 5 messages of `kind`, then a note that further ones are left out.
void logLimited(const std::string& kind, const std::string& message);

}  // namespace strata::connload
