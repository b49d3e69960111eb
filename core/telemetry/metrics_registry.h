// The node's self-monitoring registry: every series on /metrics, from the host and from every
// plugin (through strata_host_api.metric). Rendered in the Prometheus text format 0.0.4.
#pragma once

#include <strata/plugin_abi.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace strata::telemetry {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// One time series. THREAD: add/set/value from any thread, lock-free.
class MetricSeries {
 public:
  void add(double delta);
  void set(double value);
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();  // out of line: Family is complete only in the .cc
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Get-or-create. The pointer stays valid for the registry's lifetime, so the same name +
  // labels give the same series (a counter survives its component's rebuild on reload).
  // Throws std::invalid_argument for an invalid metric or label name, or for a name already
  // registered with another type or help text.
  MetricSeries* series(strata_metric_type type, const std::string& name, const std::string& help,
                       LabelPairs labels);
  MetricSeries* counter(const std::string& name, const std::string& help, LabelPairs labels = {}) {
    return series(STRATA_METRIC_COUNTER, name, help, std::move(labels));
  }
  MetricSeries* gauge(const std::string& name, const std::string& help, LabelPairs labels = {}) {
    return series(STRATA_METRIC_GAUGE, name, help, std::move(labels));
  }
  // Prometheus text format, families sorted by name; `promtool check metrics` clean.
  std::string render() const;

 private:
  struct Family;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Family>> families_;
};

}  // namespace strata::telemetry
