#include "exposition.h"

#include <charconv>
#include <cmath>

namespace strata::avalanche {
namespace {

const char* typeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "unknown";
}

void appendValue(std::string& out, double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// name{l="v",...}: the label values the workload makes need no escaping, but stay correct.
void appendSeries(std::string& out, const Labels& labels) {
  for (const auto& [n, v] : labels)
    if (n == "__name__") out += v;
  char sep = '{';
  for (const auto& [n, v] : labels) {
    if (n == "__name__") continue;
    out += sep;
    sep = ',';
    out += n;
    out += "=\"";
    for (char c : v) {
      if (c == '\\' || c == '"') out += '\\';
      out += c == '\n' ? 'n' : c;
    }
    out += '"';
  }
  if (sep == ',') out += '}';
}

void appendTimestampSeconds(std::string& out, int64_t ms) {
  out += std::to_string(ms / 1000);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03d", static_cast<int>(ms % 1000));
  out += frac;
}

// The name # TYPE declares: OpenMetrics counters drop `_total`; text format 0.0.4 keeps it.
std::string declaredName(const Workload& w, int64_t metric, bool openmetrics) {
  std::string name = w.familyName(metric);
  if (!openmetrics && w.familyType(metric) == MetricType::kCounter) name += "_total";
  return name;
}

}  // namespace

std::string renderText(const Workload& w, int64_t step) {
  std::string out;
  out.reserve(static_cast<size_t>(w.slots()) * 96);
  const int64_t metrics = w.options().metric_count;
  for (int64_t m = 0; m < metrics && m < w.slots(); ++m) {
    out += "# TYPE " + declaredName(w, m, false) + " " + typeName(w.familyType(m)) + "\n";
    for (int64_t slot = m; slot < w.slots(); slot += metrics) {
      appendSeries(out, w.labels(slot, w.generation(step, slot)));
      out += ' ';
      appendValue(out, w.value(step, slot));
      out += '\n';
    }
  }
  return out;
}

int64_t writeOpenMetrics(const Workload& w, std::FILE* out) {
  const int64_t metrics = w.options().metric_count;
  int64_t written = 0;
  std::string buf;
  for (int64_t m = 0; m < metrics && m < w.slots(); ++m) {
    buf = "# TYPE " + declaredName(w, m, true) + " " + typeName(w.familyType(m)) + "\n";
    for (int64_t slot = m; slot < w.slots(); slot += metrics) {
      // One series per generation of the slot; within it, samples in time order.
      int64_t gen = -1;
      std::string prefix;
      for (int64_t step = 0; step < w.steps(); ++step) {
        int64_t g = w.generation(step, slot);
        if (g != gen) {
          gen = g;
          prefix.clear();
          appendSeries(prefix, w.labels(slot, g));
          prefix += ' ';
        }
        buf += prefix;
        appendValue(buf, w.value(step, slot));
        buf += ' ';
        appendTimestampSeconds(buf, w.timestampMs(step));
        buf += '\n';
        ++written;
      }
      if (buf.size() > (1 << 20)) {
        if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return -1;
        buf.clear();
      }
    }
    if (std::fwrite(buf.data(), 1, buf.size(), out) != buf.size()) return -1;
    buf.clear();
  }
  if (std::fputs("# EOF\n", out) < 0) return -1;
  return written;
}

}  // namespace strata::avalanche
