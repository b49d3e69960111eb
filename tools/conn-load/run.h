// One conn-load run: the loop, the writers and the probes, driven through ramp, warm-up,
// measured window and drain (see kUsage in options.cc), and what it observed.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "ack_log.h"
#include "connect_pacer.h"
#include "endpoint.h"
#include "event_loop.h"
#include "options.h"
#include "probe.h"
#include "stats.h"
#include "writer.h"

namespace strata::connload {

struct RunResult {
  int64_t connected_at_start = 0;  // writers with an open connection when the window opened
  int64_t connected_at_end = 0;    // ... when it closed
  double measured_s = 0;
  WriteStats writes;
  std::vector<ProbeStats> probes;
};

class Run {
 public:
  // `write` and `probes` are resolved endpoints; `ack_log` is open (or disabled).
  Run(const Options& options, const Endpoint& write, const std::vector<Endpoint>& probes,
      AckLog& ack_log);
  bool ok() const { return loop_.ok(); }
  // Runs to the end; false when the loop itself failed.
  bool execute();
  RunResult& result() { return result_; }

 private:
  enum class Phase { kRamp, kWarmup, kMeasure, kDrain };
  void progress(const char* what);
  void openWindow(int64_t now);
  void closeWindow(int64_t now);

  const Options& options_;
  AckLog& ack_log_;
  EventLoop loop_;
  Timeline timeline_;
  RunResult result_;
  ConnectPacer pacer_;
  WriterContext context_;
  std::vector<std::unique_ptr<Writer>> writers_;
  std::vector<std::unique_ptr<Probe>> probes_;
  Phase phase_ = Phase::kRamp;
  int64_t epoch_us_;
};

// Set by SIGINT/SIGTERM: the first ends the window, the second the drain.
void installStopSignals();

}  // namespace strata::connload
