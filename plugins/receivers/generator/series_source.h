// What the generator emits, separate from its thread so tests can drive it tick by tick.
//
// Every tick adds one sample per series. Ticks stay pending until the pipeline accepted them,
// so a RETRY loses nothing: the next batch carries the backlog plus the new tick. The backlog
// is bounded (kMaxPendingTicks); beyond it the oldest tick is dropped and counted.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::generator {

struct GeneratorConfig {
  int64_t series = 10;
  int64_t interval_ms = 1000;
  std::string metric_name = "strata_generated";
  std::map<std::string, std::string> labels;
  std::string tenant;
  bool counter = true;  // kind: counter | gauge

  // Throws std::invalid_argument naming the option on a bad value.
  static GeneratorConfig parse(const sdk::ConfigView& config);
};

// Returns "" when fine, else a message (used by both validate and parse).
std::string checkConfig(const GeneratorConfig& c);

class SeriesSource {
 public:
  static constexpr size_t kMaxPendingTicks = 100;

  explicit SeriesSource(GeneratorConfig config);

  // Records one sample per series at `now_ms` (forced strictly after the previous tick).
  // Returns how many samples were dropped to keep the backlog bounded.
  size_t tick(int64_t now_ms);

  // A new batch with every pending tick. OWNERSHIP: the caller's.
  strata_metrics_batch* buildBatch() const;

  // The pending ticks reached the pipeline (OK) or were refused for good (REJECT).
  void clearPending() { pending_.clear(); }

  size_t pendingSamples() const { return pending_.size() * config_.series; }
  const GeneratorConfig& config() const { return config_; }

 private:
  struct Tick {
    int64_t ts_ms;
    std::vector<double> values;
  };
  double valueFor(int64_t series, int64_t ts_ms);

  GeneratorConfig config_;
  std::vector<std::vector<std::pair<std::string, std::string>>> series_labels_;
  std::deque<Tick> pending_;
  int64_t last_ts_ = INT64_MIN;
  uint64_t ticks_ = 0;
};

}  // namespace strata::generator
