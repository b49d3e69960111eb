#include "core/telemetry/metrics_registry.h"

#include <algorithm>
#include <stdexcept>

#include "core/telemetry/prom_text.h"

namespace strata::telemetry {

struct MetricsRegistry::Family {
  strata_metric_type type;
  std::string help;
  // Sorted label pairs -> series; a std::map so render() emits series in a stable order.
  std::map<LabelPairs, std::unique_ptr<MetricSeries>> series;
};

namespace {

const char* typeName(strata_metric_type type) {
  return type == STRATA_METRIC_COUNTER ? "counter" : "gauge";
}

void fail(const std::string& name, const std::string& why) {
  throw std::invalid_argument("metric \"" + name + "\": " + why);
}

// Naming rules beyond the syntax, the ones `promtool check metrics` reports as problems, so a
// node's /metrics always lints clean.
void checkName(strata_metric_type type, const std::string& name) {
  if (type != STRATA_METRIC_COUNTER && type != STRATA_METRIC_GAUGE)
    fail(name, "unknown metric type " + std::to_string(static_cast<int>(type)));
  if (!isValidMetricName(name)) fail(name, "invalid metric name");
  bool total = name.ends_with("_total");
  if (type == STRATA_METRIC_COUNTER && !total) fail(name, "a counter's name must end in _total");
  if (type != STRATA_METRIC_COUNTER && total) fail(name, "only counters may end in _total");
  for (const char* suffix : {"_bucket", "_count", "_sum"})
    if (name.ends_with(suffix))
      fail(name, std::string("the suffix ") + suffix + " is reserved for histograms/summaries");
}

void checkLabels(const std::string& name, LabelPairs& labels) {
  for (const auto& [label, value] : labels) {
    if (!isValidLabelName(label)) fail(name, "invalid label name \"" + label + "\"");
    if (label == "le" || label == "quantile")
      fail(name, "label \"" + label + "\" is reserved for histograms/summaries");
    if (!isValidUtf8(value)) fail(name, "label \"" + label + "\" has a value that is not UTF-8");
  }
  std::sort(labels.begin(), labels.end());
  auto dup = std::adjacent_find(labels.begin(), labels.end(),
                                [](const auto& a, const auto& b) { return a.first == b.first; });
  if (dup != labels.end()) fail(name, "duplicate label name \"" + dup->first + "\"");
}

}  // namespace

void MetricSeries::add(double delta) {
  double cur = value_.load(std::memory_order_relaxed);
  while (!value_.compare_exchange_weak(cur, cur + delta, std::memory_order_relaxed)) {
  }
}

void MetricSeries::set(double value) { value_.store(value, std::memory_order_relaxed); }

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricSeries* MetricsRegistry::series(strata_metric_type type, const std::string& name,
                                      const std::string& help, LabelPairs labels) {
  checkName(type, name);
  checkLabels(name, labels);
  if (!isValidUtf8(help)) fail(name, "help text is not UTF-8");
  std::lock_guard lock(mu_);
  auto& family = families_[name];
  if (!family) {
    family = std::make_unique<Family>();
    family->type = type;
    family->help = help;
  } else if (family->type != type) {
    fail(name, std::string("already registered as a ") + typeName(family->type));
  } else if (family->help != help) {
    fail(name, "already registered with another help text (\"" + family->help + "\")");
  }
  auto& s = family->series[std::move(labels)];
  if (!s) s = std::make_unique<MetricSeries>();
  return s.get();
}

std::string MetricsRegistry::render() const {
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " ";
    appendEscapedHelp(out, family->help);
    out += "\n# TYPE " + name + " " + typeName(family->type) + "\n";
    for (const auto& [labels, series] : family->series) {
      out += name;
      if (!labels.empty()) {
        out += '{';
        for (size_t i = 0; i < labels.size(); ++i) {
          if (i > 0) out += ',';
          out += labels[i].first + "=\"";
          appendEscapedLabelValue(out, labels[i].second);
          out += '"';
        }
        out += '}';
      }
      out += ' ';
      out += formatValue(series->value());
      out += '\n';
    }
  }
  return out;
}

}  // namespace strata::telemetry
