// The series set that decodes on a second thread hands out exactly what the inline one does:
// the same series in the same order, the same samples, the same error on a corrupt chunk,
// and it can be released at any point.
#include "query/prefetched_series_set.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "query/series_set.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::block_store {
namespace {

struct Read {
  std::vector<std::string> names;
  std::vector<std::vector<std::pair<int64_t, double>>> samples;
  std::vector<std::string> errors;
};

std::vector<SeriesData> makeSeries(size_t n, size_t corrupt) {
  std::mt19937_64 rng(7);
  std::vector<SeriesData> out;
  for (size_t i = 0; i < n; ++i) {
    SeriesData d;
    d.labels = {{"__name__", "m"}, {"i", std::to_string(100000 + i)}};
    int64_t t = 0;
    for (int c = 0; c < 3; ++c) {
      tsdb::XorAppender app;
      size_t count = 1 + rng() % 150;
      for (size_t k = 0; k < count; ++k) {
        t += 1 + int64_t(rng() % 30000);
        app.append(t, double(rng() % 1000) / 8);
      }
      auto bytes = std::make_shared<std::vector<uint8_t>>(app.bytes());
      if (i == corrupt && c == 1) bytes->resize(bytes->size() / 2);  // truncated
      ChunkSpec spec;
      spec.min_t = app.minTime();
      spec.max_t = app.maxTime();
      spec.data = bytes->data();
      spec.len = bytes->size();
      spec.keep = bytes;
      d.chunks.push_back(std::move(spec));
    }
    out.push_back(std::move(d));
  }
  return out;
}

Read readAll(std::vector<SeriesData> series, bool ahead, size_t stop_after = SIZE_MAX) {
  strata_series_set set{};
  makeSeriesSet(std::move(series), 0, INT64_MAX, ahead, &set);
  Read r;
  const strata_label* labels;
  size_t n;
  while (r.names.size() < stop_after && set.next(&set, &labels, &n) == 1) {
    r.names.emplace_back(labels[1].value.data, labels[1].value.len);
    r.samples.emplace_back();
    r.errors.emplace_back();
    int64_t ts[100];
    double vs[100];
    long got;
    while ((got = set.read_samples(&set, ts, vs, 100)) > 0)
      for (long k = 0; k < got; ++k) r.samples.back().emplace_back(ts[k], vs[k]);
    if (got < 0) r.errors.back() = set.last_error(&set);
  }
  set.release(&set);
  return r;
}

TEST(PrefetchedSeriesSet, SameSeriesSamplesAndErrorsAsInline) {
  const size_t n = 3 * kPrefetchMinSeries, corrupt = 700;
  Read inline_read = readAll(makeSeries(n, corrupt), false);
  Read ahead = readAll(makeSeries(n, corrupt), true);
  ASSERT_EQ(inline_read.names.size(), n);
  EXPECT_EQ(ahead.names, inline_read.names);
  EXPECT_TRUE(ahead.samples == inline_read.samples);  // (too long to print)
  EXPECT_EQ(ahead.errors, inline_read.errors);
  EXPECT_FALSE(ahead.errors[corrupt].empty());
  EXPECT_TRUE(ahead.errors[corrupt - 1].empty());
  EXPECT_GT(ahead.samples[corrupt].size(), 0u);  // the samples before the corruption
}

TEST(PrefetchedSeriesSet, ReleasedEarlyOrUnreadStopsTheThread) {
  for (size_t stop : {size_t(0), size_t(1), size_t(300), size_t(5000)}) {
    Read r = readAll(makeSeries(4 * kPrefetchMinSeries, SIZE_MAX), true, stop);
    EXPECT_EQ(r.names.size(), std::min(stop, 4 * kPrefetchMinSeries));
  }
}

}  // namespace
}  // namespace strata::block_store
