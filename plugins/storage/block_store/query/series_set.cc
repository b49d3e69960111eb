#include "query/series_set.h"

#include <map>
#include <memory>
#include <optional>
#include <strata/sdk.hpp>
#include <string>

#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

struct SetState {
  std::vector<SeriesData> series;
  int64_t min_t, max_t;
  size_t next = 0;
  std::vector<strata_label> labels;
  std::optional<SampleIterator> it;
  std::string error;
};

SetState* state(strata_series_set* s) { return static_cast<SetState*>(s->private_data); }

int nextSeries(strata_series_set* self, const strata_label** labels, size_t* count) {
  auto* st = state(self);
  st->it.reset();
  if (st->next >= st->series.size()) return 0;
  auto& s = st->series[st->next++];
  st->labels.clear();
  for (const auto& [n, v] : s.labels) st->labels.push_back({sdk::str(n), sdk::str(v)});
  st->it.emplace(std::move(s.chunks), st->min_t, st->max_t);
  *labels = st->labels.data();
  *count = st->labels.size();
  return 1;
}

long readSamples(strata_series_set* self, int64_t* ts, double* vs, size_t cap) {
  auto* st = state(self);
  if (!st->it) return 0;
  size_t n = 0;
  while (n < cap) {
    int r = st->it->next(&ts[n], &vs[n]);
    if (r < 0) {
      st->error = st->it->error();
      return -1;
    }
    if (r == 0) break;
    ++n;
  }
  return static_cast<long>(n);
}

const char* lastError(strata_series_set* self) { return state(self)->error.c_str(); }

void release(strata_series_set* self) {
  delete state(self);
  self->private_data = nullptr;
}

}  // namespace

std::vector<SeriesData> mergeSeries(std::vector<std::vector<SeriesData>> parts) {
  std::map<tsdb::LabelSet, std::vector<ChunkSpec>> merged;
  for (auto& part : parts)
    for (auto& s : part) {
      auto& chunks = merged[std::move(s.labels)];
      for (auto& c : s.chunks) chunks.push_back(std::move(c));
    }
  std::vector<SeriesData> out;
  out.reserve(merged.size());
  for (auto& [labels, chunks] : merged) out.push_back({labels, std::move(chunks)});
  return out;
}

void makeSeriesSet(std::vector<SeriesData> series, int64_t min_t, int64_t max_t,
                   strata_series_set* out) {
  auto* st = new SetState{std::move(series), min_t, max_t, 0, {}, std::nullopt, {}};
  out->struct_size = sizeof(strata_series_set);
  out->next = &nextSeries;
  out->read_samples = &readSamples;
  out->last_error = &lastError;
  out->release = &release;
  out->private_data = st;
}

}  // namespace strata::block_store
