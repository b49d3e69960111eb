#include "query/series_set.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <strata/sdk.hpp>
#include <string>
#include <thread>

#include "query/prefetched_series_set.h"
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
  long n = st->it->read(ts, vs, cap);
  if (n < 0) st->error = st->it->error();
  return n;
}

const char* lastError(strata_series_set* self) { return state(self)->error.c_str(); }

void release(strata_series_set* self) {
  delete state(self);
  self->private_data = nullptr;
}

// The label set as one byte string that compares like the set itself: every name and value
// ends with 0x00 0x00 and a 0x00 inside one is written 0x00 0x01, so a shorter string sorts
// first and one memcmp replaces a comparison per name and per value.
void appendSortKey(const tsdb::LabelSet& labels, std::string& out) {
  auto put = [&out](const std::string& s) {
    if (s.find('\0') == std::string::npos) {
      out.append(s);
    } else {
      for (char c : s) {
        out.push_back(c);
        if (c == '\0') out.push_back('\1');
      }
    }
    out.append(2, '\0');
  };
  for (const auto& [name, value] : labels) {
    put(name);
    put(value);
  }
}

}  // namespace

std::vector<SeriesData> mergeSeries(std::vector<std::vector<SeriesData>> parts) {
  std::vector<SeriesData> all;
  std::vector<size_t> part_end;
  for (auto& part : parts) {
    for (auto& s : part) all.push_back(std::move(s));
    part_end.push_back(all.size());
  }
  std::string keys;
  std::vector<size_t> key_end(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    appendSortKey(all[i].labels, keys);
    key_end[i] = keys.size();
  }
  auto key = [&](size_t i) {
    size_t begin = i == 0 ? 0 : key_end[i - 1];
    return std::string_view(keys).substr(begin, key_end[i] - begin);
  };
  auto less = [&](uint32_t a, uint32_t b) { return key(a) < key(b); };
  std::vector<uint32_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  // Each part in key order (a block's series already are, the head's are not), then merged
  // part after part. Both steps are stable, so the parts (blocks first, the head last) keep
  // their order among equal label sets, which the iterator's "first source wins" on equal
  // timestamps needs.
  size_t begin = 0;
  for (size_t end : part_end) {
    auto first = order.begin() + static_cast<ptrdiff_t>(begin);
    auto last = order.begin() + static_cast<ptrdiff_t>(end);
    if (!std::is_sorted(first, last, less)) std::stable_sort(first, last, less);
    if (begin > 0) std::inplace_merge(order.begin(), first, last, less);
    begin = end;
  }
  std::vector<SeriesData> out;
  out.reserve(all.size());
  for (size_t k = 0; k < order.size(); ++k) {
    SeriesData& s = all[order[k]];
    if (k > 0 && key(order[k]) == key(order[k - 1])) {
      for (auto& c : s.chunks) out.back().chunks.push_back(std::move(c));
      continue;
    }
    out.push_back(std::move(s));
  }
  return out;
}

void makeSeriesSet(std::vector<SeriesData> series, int64_t min_t, int64_t max_t, bool decode_ahead,
                   strata_series_set* out) {
  if (decode_ahead && series.size() >= kPrefetchMinSeries &&
      std::thread::hardware_concurrency() > 1) {
    makePrefetchedSeriesSet(std::move(series), min_t, max_t, out);
    return;
  }
  auto* st = new SetState{std::move(series), min_t, max_t, 0, {}, std::nullopt, {}};
  out->struct_size = sizeof(strata_series_set);
  out->next = &nextSeries;
  out->read_samples = &readSamples;
  out->last_error = &lastError;
  out->release = &release;
  out->private_data = st;
}

}  // namespace strata::block_store
