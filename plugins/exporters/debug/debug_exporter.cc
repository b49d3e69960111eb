#include "debug_exporter.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "prompb/sample_line.h"

namespace strata::debug {
namespace {

std::string verbosityError(const std::string& v) {
  if (v == "basic" || v == "detailed") return "";
  return "verbosity: must be basic or detailed, not \"" + v + "\"";
}

}  // namespace

void DebugExporter::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  auto err = verbosityError(config["verbosity"].asString("basic"));
  if (!err.empty()) sink->report(sink, "verbosity", err.c_str());
}

DebugExporter::DebugExporter(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      batches_(host.counter("strata_debug_batches_total", "Batches the debug exporter consumed.")),
      samples_(host.counter("strata_debug_samples_total", "Samples the debug exporter consumed.")),
      series_(host.counter("strata_debug_series_total", "Series (per batch) it consumed.")) {
  std::string verbosity = config["verbosity"].asString("basic");
  if (auto err = verbosityError(verbosity); !err.empty()) throw std::invalid_argument(err);
  detailed_ = verbosity == "detailed";
  output_file_ = config["output_file"].asString("");
  if (!output_file_.empty()) {
    file_ = std::fopen(output_file_.c_str(), "ae");
    if (!file_)
      throw std::runtime_error("output_file: cannot open " + output_file_ + ": " +
                               std::strerror(errno));
  }
}

DebugExporter::~DebugExporter() { stop(); }

void DebugExporter::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (file_) std::fclose(file_);
  file_ = nullptr;
}

void DebugExporter::logSeries(const sdk::BatchView& batch) {
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    std::string series;
    prompb::appendSeries(series, batch.labels(i), batch.series(i).label_count);
    host().info("series", {{"tenant", batch.tenant()},
                           {"series", series},
                           {"samples", std::to_string(batch.series(i).sample_count)}});
  }
}

strata_status DebugExporter::consume(strata_metrics_batch* raw) {
  sdk::OwnedBatch owned(raw);
  sdk::BatchView batch = owned.view();
  batches_.add();
  samples_.add(static_cast<double>(batch.sampleCount()));
  series_.add(static_cast<double>(batch.seriesCount()));
  if (detailed_) logSeries(batch);
  std::lock_guard<std::mutex> lock(mu_);
  if (!file_) return STRATA_OK;
  std::string lines;
  prompb::appendBatchLines(lines, batch);
  if (std::fwrite(lines.data(), 1, lines.size(), file_) != lines.size() ||
      std::fflush(file_) != 0) {
    // Still OK: the debug exporter is not a durable sink; say it loudly instead.
    host().error("writing output_file failed",
                 {{"file", output_file_}, {"error", std::strerror(errno)}});
  }
  return STRATA_OK;
}

}  // namespace strata::debug
