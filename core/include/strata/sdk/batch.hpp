// Metrics batches on the plugin side: a read-only view over what arrives, and a builder that
// owns its memory and produces a strata_metrics_batch whose release() frees it.
#pragma once

#include <strata/plugin_abi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <strata/sdk/config.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::sdk {

// The Prometheus staleness marker: a NaN with this exact bit pattern.
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;
inline double staleNaN() {
  double d;
  std::memcpy(&d, &kStaleNaNBits, sizeof d);
  return d;
}
inline bool isStaleNaN(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b == kStaleNaNBits;
}

// The stable series hash: FNV-1a 64 over name 0xff value 0xff for each sorted label. It is part
// of the ABI (hashrings and the host rely on it), so it never changes within ABI major 1.
inline uint64_t labelsHash(const strata_label* labels, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](const char* p, size_t len) {
    for (size_t i = 0; i < len; ++i) {
      h ^= static_cast<unsigned char>(p[i]);
      h *= 0x100000001b3ULL;
    }
    h ^= 0xff;
    h *= 0x100000001b3ULL;
  };
  for (size_t i = 0; i < n; ++i) {
    mix(labels[i].name.data, labels[i].name.len);
    mix(labels[i].value.data, labels[i].value.len);
  }
  return h;
}

// Read-only view; does not own the batch.
class BatchView {
 public:
  explicit BatchView(const strata_metrics_batch* b) : b_(b) {}
  std::string_view tenant() const { return view(b_->tenant); }
  size_t seriesCount() const { return b_->series_count; }
  size_t sampleCount() const { return b_->sample_count; }
  const strata_series_ref& series(size_t i) const { return b_->series[i]; }
  const strata_label* labels(size_t i) const { return b_->labels + b_->series[i].label_begin; }
  std::string_view label(size_t i, std::string_view name) const {
    const auto& s = b_->series[i];
    for (uint32_t j = 0; j < s.label_count; ++j)
      if (view(b_->labels[s.label_begin + j].name) == name)
        return view(b_->labels[s.label_begin + j].value);
    return {};
  }
  const int64_t* timestamps(size_t i) const {
    return b_->timestamps_ms + b_->series[i].sample_begin;
  }
  const double* values(size_t i) const { return b_->values + b_->series[i].sample_begin; }
  // Metric family metadata (ABI 1.1); none on a batch from a 1.0 plugin.
  size_t metadataCount() const {
    return STRATA_BATCH_HAS_METADATA(b_) && b_->metadata ? b_->metadata_count : 0;
  }
  const strata_metric_metadata& metadata(size_t i) const { return b_->metadata[i]; }
  const strata_metrics_batch* raw() const { return b_; }

 private:
  const strata_metrics_batch* b_;
};

// Builds a batch. Add series with their labels (any order; they are sorted), then samples.
class BatchBuilder {
 public:
  explicit BatchBuilder(std::string tenant = "") : d_(new Data) { d_->tenant = std::move(tenant); }

  // Starts a new series. Label pairs are copied; duplicates by name keep the last.
  void beginSeries(std::vector<std::pair<std::string, std::string>> labels) {
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<std::string, std::string>> uniq;
    for (auto& l : labels) {
      if (!uniq.empty() && uniq.back().first == l.first)
        uniq.back() = std::move(l);
      else if (!l.second.empty())
        uniq.push_back(std::move(l));
    }
    strata_series_ref s{};
    s.label_begin = static_cast<uint32_t>(d_->labels.size());
    s.label_count = static_cast<uint32_t>(uniq.size());
    s.sample_begin = static_cast<uint32_t>(d_->ts.size());
    for (auto& l : uniq) d_->labels.push_back({intern(l.first), intern(l.second)});
    s.hash = labelsHash(d_->labels.data() + s.label_begin, s.label_count);
    d_->series.push_back(s);
  }
  // A label as two views; see beginSeriesViews().
  using LabelView = std::pair<std::string_view, std::string_view>;

  // Keeps `bytes` alive as long as the batch and returns a view of the kept copy, so a decoder
  // can point label views into it instead of copying every name and value.
  std::string_view keep(std::string bytes) {
    d_->strings.push_back(std::move(bytes));
    return d_->strings.back();
  }
  // The same without a copy, for bytes the caller keeps too (e.g. to send them again after
  // RETRY): the batch holds a reference until it is released. The bytes must not change.
  std::string_view keepShared(std::shared_ptr<const std::string> bytes) {
    d_->shared.push_back(std::move(bytes));
    return *d_->shared.back();
  }
  // Starts a new series from views that live as long as the batch (into keep()'s buffers, or
  // static strings): no copies. Same rules as beginSeries(); sorts `labels` in place.
  void beginSeriesViews(LabelView* labels, size_t n) {
    sortByNameStable(labels, n);
    strata_series_ref s{};
    s.label_begin = static_cast<uint32_t>(d_->labels.size());
    s.sample_begin = static_cast<uint32_t>(d_->ts.size());
    for (size_t i = 0; i < n; ++i) {
      if (i + 1 < n && labels[i + 1].first == labels[i].first) continue;  // keep the last
      if (labels[i].second.empty()) continue;
      d_->labels.push_back({str(labels[i].first), str(labels[i].second)});
    }
    s.label_count = static_cast<uint32_t>(d_->labels.size() - s.label_begin);
    s.hash = labelsHash(d_->labels.data() + s.label_begin, s.label_count);
    d_->series.push_back(s);
  }
  void addSample(int64_t ts_ms, double value) {
    d_->ts.push_back(ts_ms);
    d_->values.push_back(value);
    d_->series.back().sample_count++;
  }
  void addSamples(const int64_t* ts_ms, const double* values, size_t n) {
    d_->ts.insert(d_->ts.end(), ts_ms, ts_ms + n);
    d_->values.insert(d_->values.end(), values, values + n);
    d_->series.back().sample_count += static_cast<uint32_t>(n);
  }
  // Capacity hints, so a builder whose size is known up front does not regrow.
  void reserve(size_t series, size_t labels, size_t samples) {
    d_->series.reserve(series);
    d_->labels.reserve(labels);
    d_->ts.reserve(samples);
    d_->values.reserve(samples);
  }
  size_t seriesCount() const { return d_->series.size(); }
  size_t sampleCount() const { return d_->ts.size(); }

  // Adds TYPE/HELP/UNIT of a metric family (copied); see strata_metrics_batch.metadata.
  void addMetadata(std::string_view family, uint32_t type, std::string_view help,
                   std::string_view unit) {
    d_->metadata.push_back({intern(family), type, intern(help), intern(unit)});
  }
  // Copies every metadata entry of `in`: what a processor that rebuilds a batch passes on.
  void copyMetadata(const BatchView& in) {
    for (size_t i = 0; i < in.metadataCount(); ++i) {
      const strata_metric_metadata& m = in.metadata(i);
      addMetadata(view(m.metric_family), m.type, view(m.help), view(m.unit));
    }
  }
  size_t metadataCount() const { return d_->metadata.size(); }

  // OWNERSHIP: the caller owns the result and must pass it on or call release().
  strata_metrics_batch* finish(uint32_t flags = 0) {
    auto* d = d_.release();
    auto& b = d->batch;
    b.struct_size = sizeof(strata_metrics_batch);
    b.flags = flags;
    b.tenant = str(d->tenant);
    // Label strings point into `strings`, a deque, so they stayed put while it grew.
    b.series = d->series.data();
    b.series_count = d->series.size();
    b.labels = d->labels.data();
    b.label_count = d->labels.size();
    b.timestamps_ms = d->ts.data();
    b.values = d->values.data();
    b.sample_count = d->ts.size();
    b.metadata = d->metadata.empty() ? nullptr : d->metadata.data();
    b.metadata_count = d->metadata.size();
    b.private_data = d;
    b.release = [](strata_metrics_batch* self) { delete static_cast<Data*>(self->private_data); };
    d_.reset(new Data);
    return &b;
  }

 private:
  struct Data {
    std::string tenant;
    std::deque<std::string> strings;                         // deque: stable addresses as it grows
    std::vector<std::shared_ptr<const std::string>> shared;  // keepShared()
    std::vector<strata_series_ref> series;
    std::vector<strata_label> labels;
    std::vector<int64_t> ts;
    std::vector<double> values;
    std::vector<strata_metric_metadata> metadata;
    strata_metrics_batch batch{};
  };
  // Stable (the last of equal names stays last), without allocating for the usual few labels;
  // remote write senders send them sorted already, which costs one pass.
  static void sortByNameStable(LabelView* l, size_t n) {
    size_t i = 1;
    while (i < n && l[i - 1].first <= l[i].first) ++i;
    if (i >= n) return;
    if (n > 32) {
      std::stable_sort(l, l + n, [](const auto& a, const auto& b) { return a.first < b.first; });
      return;
    }
    for (; i < n; ++i) {
      LabelView x = l[i];
      size_t j = i;
      for (; j > 0 && x.first < l[j - 1].first; --j) l[j] = l[j - 1];
      l[j] = x;
    }
  }
  strata_str intern(std::string_view s) {
    d_->strings.emplace_back(s);
    return str(d_->strings.back());
  }
  std::unique_ptr<Data> d_;
};

// RAII owner of a batch received by consume_metrics(); releases it unless passed on.
class OwnedBatch {
 public:
  explicit OwnedBatch(strata_metrics_batch* b) : b_(b) {}
  OwnedBatch(const OwnedBatch&) = delete;
  OwnedBatch& operator=(const OwnedBatch&) = delete;
  ~OwnedBatch() {
    if (b_ && b_->release) b_->release(b_);
  }
  strata_metrics_batch* release() { return std::exchange(b_, nullptr); }
  BatchView view() const { return BatchView(b_); }
  strata_metrics_batch* get() const { return b_; }

 private:
  strata_metrics_batch* b_;
};

}  // namespace strata::sdk
