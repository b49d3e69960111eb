#include "shard_encoder.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>

#include "timeseries_wire.h"

namespace strata::rwexporter {
namespace {

// A series as its entries carry it: its labels (the batch's own with the external labels, or
// what write_relabel_configs made of them), their encoded size, and its shard.
struct RoutedSeries {
  WireLabels labels;
  uint32_t shard = 0;
  size_t labels_size = 0;
  bool queued = false;  // false: no samples, or dropped by the rules
};

// The label sets write_relabel_configs produced for one batch. Both encoding passes point into
// it, so the rules run once per series; deques keep every element where it was put.
class RelabeledLabels {
 public:
  // The series' labels after the rules; false when dropped (or left without labels).
  bool apply(const std::vector<relabel::Rule>& rules, const strata_label* in, uint32_t n,
             std::span<const strata_label> external, const strata_label** out,
             uint32_t* out_count) {
    relabel::LabelSet set;
    for (uint32_t j = 0; j < n; ++j) set.set(sdk::view(in[j].name), sdk::view(in[j].value));
    for (const auto& l : external)  // Prometheus: external labels first, then the rules
      if (!set.has(sdk::view(l.name))) set.set(sdk::view(l.name), sdk::view(l.value));
    if (!relabel::process(rules, set) || set.empty()) return false;
    auto& labels = sets_.emplace_back();
    labels.reserve(set.size());
    for (const auto& l : set.labels()) {
      const std::string& name = strings_.emplace_back(l.name);
      labels.push_back({sdk::str(name), sdk::str(strings_.emplace_back(l.value))});
    }
    *out = labels.data();
    *out_count = static_cast<uint32_t>(labels.size());
    return true;
  }

 private:
  std::deque<std::string> strings_;
  std::deque<std::vector<strata_label>> sets_;
};

std::vector<RoutedSeries> route(const sdk::BatchView& batch, uint32_t shards,
                                const std::vector<relabel::Rule>* rules,
                                std::span<const strata_label> external, RelabeledLabels& store,
                                uint64_t* relabel_dropped) {
  std::vector<RoutedSeries> out(batch.seriesCount());
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& ref = batch.series(i);
    if (ref.sample_count == 0) continue;
    WireLabels& l = out[i].labels;
    l = {batch.labels(i), ref.label_count, external.data(), static_cast<uint32_t>(external.size())};
    uint64_t hash = ref.hash;
    if (rules && !rules->empty()) {
      l.added_count = 0;
      if (!store.apply(*rules, batch.labels(i), ref.label_count, external, &l.own, &l.own_count)) {
        if (relabel_dropped) *relabel_dropped += ref.sample_count;
        continue;
      }
      hash = 0;
    }
    if (!hash) hash = sdk::labelsHash(l.own, l.own_count);
    out[i].shard = static_cast<uint32_t>(hash % shards);
    out[i].labels_size = labelsWireSize(l);
    out[i].queued = true;
  }
  return out;
}

// Walks the routed series in batch order and cuts them into entries: each shard fills one open
// entry up to max_samples, a series that does not fit continues in the shard's next entry.
// chunk(shard, series, first_sample, samples) adds one TimeSeries to the shard's open entry;
// close(shard) ends it. Both passes of encodeShards() take this same walk.
template <typename Chunk, typename Close>
void walk(const sdk::BatchView& batch, const std::vector<RoutedSeries>& routed, uint32_t shards,
          uint64_t max_samples, Chunk chunk, Close close) {
  std::vector<uint64_t> open(shards, 0);  // samples in each shard's open entry
  for (size_t i = 0; i < routed.size(); ++i) {
    if (!routed[i].queued) continue;
    const uint32_t s = routed[i].shard;
    const uint32_t n = batch.series(i).sample_count;
    for (uint32_t k = 0; k < n;) {
      if (open[s] >= max_samples) {
        close(s);
        open[s] = 0;
      }
      auto take = static_cast<uint32_t>(std::min<uint64_t>(n - k, max_samples - open[s]));
      chunk(s, i, k, take);
      open[s] += take;
      k += take;
    }
  }
  for (uint32_t s = 0; s < shards; ++s)
    if (open[s]) close(s);
}

}  // namespace

std::vector<NewEntry> encodeShards(const sdk::BatchView& batch, uint32_t shards,
                                   uint64_t max_samples, const std::vector<relabel::Rule>* rules,
                                   uint64_t* relabel_dropped,
                                   std::span<const strata_label> external_labels) {
  shards = std::max<uint32_t>(shards, 1);
  max_samples = std::max<uint64_t>(max_samples, 1);
  RelabeledLabels relabeled;
  const auto routed = route(batch, shards, rules, external_labels, relabeled, relabel_dropped);
  auto samplesSize = [&batch](size_t i, uint32_t k, uint32_t n) {
    return samplesWireSize(batch.timestamps(i) + k, batch.values(i) + k, n);
  };

  // Pass 1: every entry's samples, time range and exact size, in the order entries close.
  std::vector<NewEntry> out;
  std::vector<std::deque<size_t>> entries_of(shards);  // per shard: its entries in `out`
  std::vector<NewEntry> open(shards);
  std::vector<size_t> open_size(shards, 0);
  for (auto& e : open) {
    e.min_ts = std::numeric_limits<int64_t>::max();
    e.max_ts = std::numeric_limits<int64_t>::min();
  }
  walk(
      batch, routed, shards, max_samples,
      [&](uint32_t s, size_t i, uint32_t k, uint32_t n) {
        NewEntry& e = open[s];
        e.samples += n;
        const int64_t* t = batch.timestamps(i) + k;
        for (uint32_t j = 0; j < n; ++j) {
          e.min_ts = std::min(e.min_ts, t[j]);
          e.max_ts = std::max(e.max_ts, t[j]);
        }
        open_size[s] += timeSeriesFieldSize(routed[i].labels_size, samplesSize(i, k, n));
      },
      [&](uint32_t s) {
        NewEntry& e = open[s];
        e.shard = s;
        e.payload.resize(open_size[s]);  // the one allocation of this payload
        entries_of[s].push_back(out.size());
        out.push_back(std::move(e));
        e = NewEntry();
        e.min_ts = std::numeric_limits<int64_t>::max();
        e.max_ts = std::numeric_limits<int64_t>::min();
        open_size[s] = 0;
      });

  // Pass 2: the same walk writes the bytes into the payloads sized above.
  std::vector<size_t> written(shards, 0);
  walk(
      batch, routed, shards, max_samples,
      [&](uint32_t s, size_t i, uint32_t k, uint32_t n) {
        std::string& payload = out[entries_of[s].front()].payload;
        const RoutedSeries& r = routed[i];
        char* end = writeTimeSeriesField(payload.data() + written[s], r.labels, r.labels_size,
                                         batch.timestamps(i) + k, batch.values(i) + k, n,
                                         samplesSize(i, k, n));
        written[s] = static_cast<size_t>(end - payload.data());
      },
      [&](uint32_t s) {
        if (written[s] != out[entries_of[s].front()].payload.size())
          throw std::logic_error("remote write entry size mismatch");  // a sizing bug
        entries_of[s].pop_front();
        written[s] = 0;
      });
  return out;
}

}  // namespace strata::rwexporter
