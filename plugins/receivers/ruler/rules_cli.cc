// strata-rules check FILE...: checks Prometheus rule files as `promtool check rules` does,
// with our rule parser and PromQL parser. Exit 1 when any file has an error.
#include <cstdio>
#include <cstring>

#include "rule_file.h"

int main(int argc, char** argv) {
  if (argc < 3 || std::strcmp(argv[1], "check") != 0) {
    std::fprintf(stderr, "usage: strata-rules check FILE...\n");
    return 2;
  }
  int rc = 0;
  for (int i = 2; i < argc; ++i) {
    std::printf("Checking %s\n", argv[i]);
    strata::ruler::ParseResult r = strata::ruler::parseRuleFile(argv[i]);
    for (const auto& w : r.warnings) std::fprintf(stderr, "  WARNING: %s\n", w.c_str());
    if (!r.errors.empty()) {
      std::fprintf(stderr, "  FAILED:\n");
      for (const auto& e : r.errors) std::fprintf(stderr, "%s\n", e.c_str());
      rc = 1;
      continue;
    }
    size_t n = 0;
    for (const auto& g : r.groups) n += g.rules.size();
    std::printf("  SUCCESS: %zu rules found\n", n);
  }
  return rc;
}
