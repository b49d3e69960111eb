#include "series_source.h"

#include <cmath>
#include <stdexcept>

namespace strata::generator {
namespace {

bool validName(const std::string& n) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string checkConfig(const GeneratorConfig& c) {
  if (c.series < 1 || c.series > 10'000'000) return "series: must be between 1 and 10000000";
  if (c.interval_ms < 1) return "interval: must be at least 1ms";
  if (!validName(c.metric_name)) return "metric_name: must match [a-zA-Z_][a-zA-Z0-9_]*";
  for (const auto& [name, value] : c.labels) {
    if (!validName(name) || name == "__name__" || name == "series")
      return "labels." + name + ": not a usable label name (must match [a-zA-Z_][a-zA-Z0-9_]*, " +
             "and __name__ and series are set by the generator)";
  }
  return "";
}

GeneratorConfig GeneratorConfig::parse(const sdk::ConfigView& config) {
  GeneratorConfig c;
  c.series = config["series"].asInt(c.series);
  c.interval_ms = config["interval"].asMillis(c.interval_ms);
  c.metric_name = config["metric_name"].asString(c.metric_name);
  c.labels = config["labels"].asStringMap();
  c.tenant = config["tenant"].asString(c.tenant);
  std::string kind = config["kind"].asString("counter");
  if (kind != "counter" && kind != "gauge")
    throw std::invalid_argument("kind: must be counter or gauge, not \"" + kind + "\"");
  c.counter = kind == "counter";
  if (auto err = checkConfig(c); !err.empty()) throw std::invalid_argument(err);
  return c;
}

SeriesSource::SeriesSource(GeneratorConfig config) : config_(std::move(config)) {
  series_labels_.reserve(config_.series);
  for (int64_t i = 0; i < config_.series; ++i) {
    std::vector<std::pair<std::string, std::string>> labels(config_.labels.begin(),
                                                            config_.labels.end());
    labels.emplace_back("__name__", config_.metric_name);
    labels.emplace_back("series", std::to_string(i));
    series_labels_.push_back(std::move(labels));
  }
}

double SeriesSource::valueFor(int64_t series, int64_t ts_ms) {
  // Counters: every series counts ticks, offset by its index so series differ.
  if (config_.counter) return static_cast<double>(ticks_ + series);
  // Gauges: a slow wave per series, deterministic in the timestamp.
  return 100.0 * std::sin(static_cast<double>(ts_ms) / 60000.0 + static_cast<double>(series));
}

size_t SeriesSource::tick(int64_t now_ms) {
  int64_t ts = last_ts_ == INT64_MIN ? now_ms : std::max(now_ms, last_ts_ + 1);
  last_ts_ = ts;
  ++ticks_;
  Tick t{ts, {}};
  t.values.reserve(config_.series);
  for (int64_t i = 0; i < config_.series; ++i) t.values.push_back(valueFor(i, ts));
  size_t dropped = 0;
  if (pending_.size() >= kMaxPendingTicks) {
    pending_.pop_front();
    dropped = config_.series;
  }
  pending_.push_back(std::move(t));
  return dropped;
}

strata_metrics_batch* SeriesSource::buildBatch() const {
  sdk::BatchBuilder b(config_.tenant);
  for (int64_t i = 0; i < config_.series; ++i) {
    b.beginSeries(series_labels_[i]);
    for (const auto& t : pending_) b.addSample(t.ts_ms, t.values[i]);
  }
  return b.finish();
}

}  // namespace strata::generator
