// conn-load: how an HTTP server holds many concurrent keep-alive clients. See kUsage in
// options.cc for what it does, prints and exits with.
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "ack_log.h"
#include "endpoint.h"
#include "log.h"
#include "options.h"
#include "report.h"
#include "run.h"

namespace {

using namespace strata::connload;

// Every writer and probe holds one socket: raise the soft descriptor limit to the hard one.
void raiseFileLimit(int64_t sockets) {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &lim) != 0) getrlimit(RLIMIT_NOFILE, &lim);
  }
  uint64_t needed = static_cast<uint64_t>(sockets) + 16;  // plus stdio, epoll, the ack log
  if (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur < needed)
    logLine("RLIMIT_NOFILE is " + std::to_string(lim.rlim_cur) + " (hard limit " +
            std::to_string(lim.rlim_max) + "), below the " + std::to_string(needed) +
            " descriptors this run needs: connects beyond it fail (connect_errors)");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string error;
  switch (parseOptions(argc, argv, &options, &error)) {
    case 1:
      std::fputs(kUsage, stdout);
      return 0;
    case 2:
      std::fprintf(stderr, "conn-load: %s\n%s", error.c_str(), kUsage);
      return 2;
  }
  Endpoint write;
  std::vector<Endpoint> probes(options.probe_urls.size());
  bool resolved = resolveEndpoint(options.write_url, &write, &error);
  for (size_t i = 0; resolved && i < probes.size(); ++i)
    resolved = resolveEndpoint(options.probe_urls[i], &probes[i], &error);
  if (!resolved) {
    std::fprintf(stderr, "conn-load: %s\n", error.c_str());
    return 2;
  }
  AckLog ack_log(options.ack_log);
  if (!ack_log.ok()) {
    std::fprintf(stderr, "conn-load: cannot open %s\n", options.ack_log.c_str());
    return 2;
  }
  raiseFileLimit(options.connections + static_cast<int64_t>(probes.size()));
  installStopSignals();

  Run run(options, write, probes, ack_log);
  if (!run.ok()) {
    logLine("epoll_create1 failed");
    return 1;
  }
  bool finished = run.execute();
  ack_log.flush();
  std::string json = renderReport(options, run.result(), processCpuSeconds());
  std::printf("%s\n", json.c_str());
  std::fflush(stdout);
  return finished && runPassed(options, run.result()) ? 0 : 1;
}
