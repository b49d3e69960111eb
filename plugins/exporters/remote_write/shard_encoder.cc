#include "shard_encoder.h"

#include <algorithm>
#include <limits>

#include "proto/remote.pb.h"

namespace strata::rwexporter {
namespace {

// The WriteRequest being filled for one shard.
struct Pending {
  prometheus::WriteRequest request;
  uint32_t samples = 0;
  int64_t min_ts = std::numeric_limits<int64_t>::max();
  int64_t max_ts = std::numeric_limits<int64_t>::min();

  void flushTo(uint32_t shard, std::vector<NewEntry>* out) {
    if (samples == 0) return;
    out->push_back({shard, samples, min_ts, max_ts, request.SerializeAsString()});
    *this = Pending();
  }
};

prometheus::TimeSeries* newSeries(Pending& p, const strata_label* labels, uint32_t n) {
  auto* ts = p.request.add_timeseries();
  for (uint32_t j = 0; j < n; ++j) {
    auto* l = ts->add_labels();
    l->set_name(labels[j].name.data, labels[j].name.len);
    l->set_value(labels[j].value.data, labels[j].value.len);
  }
  return ts;
}

// The series' labels after write_relabel_configs; false when dropped.
bool relabelSeries(const std::vector<relabel::Rule>& rules, const strata_label* in, uint32_t n,
                   std::vector<std::string>& strings, std::vector<strata_label>& out) {
  relabel::LabelSet set;
  for (uint32_t j = 0; j < n; ++j) set.set(sdk::view(in[j].name), sdk::view(in[j].value));
  if (!relabel::process(rules, set) || set.empty()) return false;
  strings.clear();
  strings.reserve(2 * set.size());  // no reallocation: `out` points into it
  out.clear();
  for (const auto& l : set.labels()) {
    strings.push_back(l.name);
    strings.push_back(l.value);
    out.push_back({sdk::str(strings[strings.size() - 2]), sdk::str(strings.back())});
  }
  return true;
}

}  // namespace

std::vector<NewEntry> encodeShards(const sdk::BatchView& batch, uint32_t shards,
                                   uint64_t max_samples, const std::vector<relabel::Rule>* rules,
                                   uint64_t* relabel_dropped) {
  std::vector<std::string> strings;
  std::vector<strata_label> relabeled;
  shards = std::max<uint32_t>(shards, 1);
  max_samples = std::max<uint64_t>(max_samples, 1);
  std::vector<Pending> pending(shards);
  std::vector<NewEntry> out;
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& ref = batch.series(i);
    if (ref.sample_count == 0) continue;
    const strata_label* labels = batch.labels(i);
    uint32_t label_count = ref.label_count;
    uint64_t hash = ref.hash;
    if (rules && !rules->empty()) {
      if (!relabelSeries(*rules, labels, label_count, strings, relabeled)) {
        if (relabel_dropped) *relabel_dropped += ref.sample_count;
        continue;
      }
      labels = relabeled.data();
      label_count = static_cast<uint32_t>(relabeled.size());
      hash = 0;
    }
    if (!hash) hash = sdk::labelsHash(labels, label_count);
    auto shard = static_cast<uint32_t>(hash % shards);
    Pending& p = pending[shard];
    const int64_t* t = batch.timestamps(i);
    const double* v = batch.values(i);
    prometheus::TimeSeries* ts = nullptr;
    for (uint32_t k = 0; k < ref.sample_count; ++k) {
      if (p.samples >= max_samples) {
        p.flushTo(shard, &out);
        ts = nullptr;
      }
      if (!ts) ts = newSeries(p, labels, label_count);
      auto* s = ts->add_samples();
      s->set_timestamp(t[k]);
      s->set_value(v[k]);
      ++p.samples;
      p.min_ts = std::min(p.min_ts, t[k]);
      p.max_ts = std::max(p.max_ts, t[k]);
    }
  }
  for (uint32_t s = 0; s < shards; ++s) pending[s].flushTo(s, &out);
  return out;
}

}  // namespace strata::rwexporter
