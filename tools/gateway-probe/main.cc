// gateway-probe generate --out DIR [--blocks N] [--series N] [--step-ms MS] [--start-ms MS]
// gateway-probe remote-read --url URL --metric NAME --start-ms MS --end-ms MS
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "probe.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gateway-probe generate|remote-read --flag value ...\n");
    return 2;
  }
  std::string cmd = argv[1];
  strata::probe::GenerateArgs g;
  std::string url, metric = "probe_metric";
  int64_t start = 0, end = 0;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--out")
      g.out = v;
    else if (k == "--blocks")
      g.blocks = std::atoi(v.c_str());
    else if (k == "--series")
      g.series = std::atoi(v.c_str());
    else if (k == "--step-ms")
      g.step_ms = std::atoll(v.c_str());
    else if (k == "--start-ms")
      g.start_ms = start = std::atoll(v.c_str());
    else if (k == "--end-ms")
      end = std::atoll(v.c_str());
    else if (k == "--url")
      url = v;
    else if (k == "--metric")
      metric = v;
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (cmd == "generate") return strata::probe::generate(g);
  if (cmd == "remote-read") return strata::probe::remoteRead(url, metric, start, end);
  std::fprintf(stderr, "unknown command %s\n", cmd.c_str());
  return 2;
}
