// strata-avalanche: synthetic Prometheus metrics for side-by-side benchmarks (issue 7).
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "exposition.h"
#include "remote_write_mode.h"
#include "serve_mode.h"
#include "workload.h"
#include "workload_options.h"

int main(int argc, char** argv) {
  using namespace strata::avalanche;
  WorkloadOptions wo;
  ModeOptions mo;
  int code = 0;
  if (!parseArgs(argc, argv, &wo, &mo, &code)) return code;

  auto t0 = std::chrono::steady_clock::now();
  Workload w(wo);
  std::fprintf(stderr,
               "strata-avalanche: %lld series x %lld samples (%lld distinct series with churn), "
               "start_ms=%lld, generated in %.2f s\n",
               static_cast<long long>(w.slots()), static_cast<long long>(w.steps()),
               static_cast<long long>(w.distinctSeries()), static_cast<long long>(wo.start_ms),
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

  if (mo.mode == "remote-write") return runRemoteWrite(w, mo);
  if (mo.mode == "serve") return runServe(w, mo);

  std::FILE* out = mo.out == "-" ? stdout : std::fopen(mo.out.c_str(), "we");
  if (!out) {
    std::fprintf(stderr, "strata-avalanche: %s: %s\n", mo.out.c_str(), std::strerror(errno));
    return 1;
  }
  int64_t n = writeOpenMetrics(w, out);
  if ((out != stdout && std::fclose(out) != 0) || n < 0) {
    std::fprintf(stderr, "strata-avalanche: writing %s failed\n", mo.out.c_str());
    return 1;
  }
  std::printf("samples=%lld series=%lld\n", static_cast<long long>(n),
              static_cast<long long>(w.distinctSeries()));
  return 0;
}
