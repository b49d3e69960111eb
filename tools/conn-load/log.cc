#include "log.h"

#include <cstdio>
#include <map>

namespace strata::connload {

void logLine(const std::string& message) {
  std::fprintf(stderr, "conn-load: %s\n", message.c_str());
}

void logLimited(const std::string& kind, const std::string& message) {
  static std::map<std::string, int> printed;
  int& n = printed[kind];
  if (n < 5) logLine(kind + ": " + message);
  if (n == 5) logLine(kind + ": further messages of this kind left out");
  if (n <= 5) ++n;
}

}  // namespace strata::connload
