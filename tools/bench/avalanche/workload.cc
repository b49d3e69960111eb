#include "workload.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace strata::avalanche {
namespace {

// Stateless randomness: the same (seed, a, b) always gives the same number, so histogram
// buckets of one group see one increment per step, whatever order slots are generated in.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
double uniform(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t h = mix(seed ^ mix(a * 0x100000001b3ULL ^ mix(b + 0x51ed270b)));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}
double roundTo(double v, double scale) { return std::round(v * scale) / scale; }

std::string shortest(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace

Workload::Workload(const WorkloadOptions& options) : o_(options) {
  const int64_t m = o_.metric_count;
  histograms_ = std::clamp<int64_t>(std::llround(m * o_.histogram_ratio), 0, m);
  gauges_ = std::clamp<int64_t>(std::llround(m * o_.gauge_ratio), 0, m - histograms_);
  churn_block_ = std::max<int64_t>(1, std::llround(o_.series * o_.churn_fraction));
  generate();
}

MetricType Workload::familyType(int64_t metric) const {
  if (metric < histograms_) return MetricType::kHistogram;
  if (metric < histograms_ + gauges_) return MetricType::kGauge;
  return MetricType::kCounter;
}

std::string Workload::familyName(int64_t metric) const {
  switch (familyType(metric)) {
    case MetricType::kHistogram:
      return "avalanche_latency_" + std::to_string(metric) + "_seconds";
    case MetricType::kGauge:
      return "avalanche_gauge_" + std::to_string(metric);
    case MetricType::kCounter:
      break;
  }
  return "avalanche_requests_" + std::to_string(metric);
}

int64_t Workload::epochOf(int64_t step) const {
  if (o_.churn_interval_s <= 0) return 0;
  return step * o_.interval_ms / (o_.churn_interval_s * 1000);
}

bool Workload::churnsAt(int64_t epoch, int64_t slot) const {
  int64_t begin = ((epoch - 1) * churn_block_) % o_.series;
  return (slot - begin + o_.series) % o_.series < churn_block_;
}

int64_t Workload::generation(int64_t step, int64_t slot) const {
  int64_t g = 0;
  for (int64_t e = 1, last = epochOf(step); e <= last; ++e) g += churnsAt(e, slot) ? 1 : 0;
  return g;
}

int64_t Workload::distinctSeries() const {
  int64_t n = o_.series;
  for (int64_t s = 0; s < o_.series; ++s) n += generation(o_.samples - 1, s);
  return n;
}

double Workload::bucketBound(int64_t bucket) const {
  if (bucket >= o_.histogram_buckets - 1) return INFINITY;
  return 0.005 * std::pow(2.0, static_cast<double>(bucket));
}

Labels Workload::labels(int64_t slot, int64_t generation) const {
  const int64_t metric = metricOf(slot), j = slot / o_.metric_count;
  Labels out;
  std::string name = familyName(metric);
  int64_t id = j;
  if (familyType(metric) == MetricType::kHistogram) {
    // Buckets are assigned from +Inf down, so a family's last, partial group still has +Inf.
    id = j / o_.histogram_buckets;
    double le = bucketBound(o_.histogram_buckets - 1 - j % o_.histogram_buckets);
    out.emplace_back("le", std::isinf(le) ? "+Inf" : shortest(le));
    name += "_bucket";
  } else if (familyType(metric) == MetricType::kCounter) {
    name += "_total";
  }
  out.emplace_back("__name__", std::move(name));
  out.emplace_back("series_id", std::to_string(id));
  if (o_.churn_interval_s > 0) out.emplace_back("cycle", std::to_string(generation));
  for (int64_t k = 0; k < o_.labels_per_series; ++k) {
    uint64_t v = mix(static_cast<uint64_t>(id) * 31 + static_cast<uint64_t>(k)) %
                 static_cast<uint64_t>(o_.label_cardinality);
    out.emplace_back("label_" + std::to_string(k), "value_" + std::to_string(v));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Workload::generate() {
  const int64_t n = o_.series;
  const double interval_s = static_cast<double>(o_.interval_ms) / 1000.0;
  values_.assign(static_cast<size_t>(n * o_.samples), 0.0);
  for (int64_t slot = 0; slot < n; ++slot) {
    const int64_t metric = metricOf(slot), j = slot / o_.metric_count;
    const MetricType type = familyType(metric);
    const uint64_t key = static_cast<uint64_t>(slot);
    // Per-series rate between 0.05 and 50 per second, log-uniform: a few hot series, many cold.
    const double rate = 0.05 * std::pow(1000.0, uniform(o_.seed, key, 1));
    const bool decimals = metric % 2 == 1;
    double v = 0;
    int64_t gen = -1;
    for (int64_t step = 0; step < o_.samples; ++step) {
      int64_t g = generation(step, slot);
      const double u = uniform(o_.seed, key, static_cast<uint64_t>(step) + 7);
      if (g != gen) {  // a new series begins: counters from a random start, gauges anywhere
        gen = g;
        v = type == MetricType::kGauge ? roundTo(100.0 * uniform(o_.seed, key, 3), 100.0)
            : type == MetricType::kCounter
                ? std::floor(1000.0 * uniform(o_.seed, key, static_cast<uint64_t>(g) + 11))
                : 0.0;
      }
      switch (type) {
        case MetricType::kCounter:
          v = decimals ? roundTo(v + rate * interval_s * (0.5 + u) * 0.01, 1000.0)
                       : v + std::floor(rate * interval_s * (0.5 + u));
          break;
        case MetricType::kGauge:
          v = roundTo(v + (u - 0.5) * 2.0, decimals ? 1000.0 : 100.0);
          break;
        case MetricType::kHistogram: {
          const int64_t group = j / o_.histogram_buckets;
          const int64_t bucket = o_.histogram_buckets - 1 - j % o_.histogram_buckets;
          const uint64_t gkey = static_cast<uint64_t>(metric) << 32 | static_cast<uint64_t>(group);
          const double inc =
              std::floor(10.0 * interval_s * (0.5 + uniform(o_.seed ^ 0xabcdef, gkey, step + 7)));
          const double le = bucketBound(bucket);
          const double cdf = std::isinf(le) ? 1.0 : 1.0 - std::exp(-le / 0.1);
          v += std::floor(inc * cdf);
          break;
        }
      }
      values_[static_cast<size_t>(step * n + slot)] = v;
    }
  }
}

}  // namespace strata::avalanche
