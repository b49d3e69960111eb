// The debug exporter: counts what reaches it and, if asked, writes every sample to a file in
// the shared sample-line format (prompb/sample_line.h), so tests can compare delivered samples
// exactly with what a sender saw acknowledged.
//
// THREAD: consume() may run concurrently; the file is written under a mutex, one whole batch
// at a time, and flushed before consume() returns (so "consumed" means "in the file").
#pragma once

#include <cstdio>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>

namespace strata::debug {

class DebugExporter : public sdk::Component {
 public:
  DebugExporter(sdk::Host host, sdk::ConfigView config);
  ~DebugExporter() override;

  strata_status consume(strata_metrics_batch* batch) override;
  void stop() override;

  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);

 private:
  void logSeries(const sdk::BatchView& batch);

  bool detailed_ = false;
  std::string output_file_;
  sdk::Metric batches_, samples_, series_;
  std::mutex mu_;
  std::FILE* file_ = nullptr;
};

}  // namespace strata::debug
