// The streaming block writer's memory: a block of 200,000 series written through
// StreamingBlockWriter, with every heap allocation of this binary counted (global operator
// new/delete are replaced below, which is why this test has an executable of its own), must
// peak far below what the block's series and chunks take; then everything reads back equal.
#include <gtest/gtest.h>
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "test_util.h"
#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"

namespace {
std::atomic<int64_t> g_current{0}, g_peak{0};

void* countedAlloc(size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  int64_t now =
      g_current.fetch_add(int64_t(malloc_usable_size(p))) + int64_t(malloc_usable_size(p));
  int64_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
  return p;
}

void countedFree(void* p) {
  if (!p) return;
  g_current.fetch_sub(int64_t(malloc_usable_size(p)));
  std::free(p);
}
}  // namespace

void* operator new(size_t n) { return countedAlloc(n); }
void* operator new[](size_t n) { return countedAlloc(n); }
void operator delete(void* p) noexcept { countedFree(p); }
void operator delete[](void* p) noexcept { countedFree(p); }
void operator delete(void* p, size_t) noexcept { countedFree(p); }
void operator delete[](void* p, size_t) noexcept { countedFree(p); }

namespace strata::tsdb {
namespace {

using testing::decodeAll;
using testing::TempDir;

constexpr int kSeries = 200'000;
constexpr int kSamples = 120;

// Series i in label order: 200 metric names x 1000 instances, one job.
LabelSet labelsOf(int i) {
  char name[32], inst[32];
  std::snprintf(name, sizeof name, "metric_%04d", i / 1000);
  std::snprintf(inst, sizeof inst, "host-%04d", i % 1000);
  return {{"__name__", name}, {"instance", inst}, {"job", "node"}};
}

std::vector<ChunkData> chunksOf(int i) {
  XorAppender app;
  for (int k = 0; k < kSamples; ++k)
    app.append(1'700'000'000'000 + k * 15'000 + i % 7, i * 0.25 + k * (i % 3));
  return {{app.minTime(), app.maxTime(), app.bytes()}};
}

// Peak heap growth while `write` runs, in bytes.
template <typename F>
int64_t peakDuring(F&& write) {
  int64_t base = g_current.load();
  g_peak.store(base);
  write();
  return g_peak.load() - base;
}

constexpr int64_t kBound = 16 << 20;

TEST(StreamingBlockWriter, TwoHundredThousandSeriesInBoundedMemory) {
  TempDir dir;
  std::string block;
  BlockWriterOptions options;
  options.index_postings_batch_entries = 1 << 16;  // passes of at most 128 Ki entries
  int64_t streaming = peakDuring([&] {
    StreamingBlockWriter w(dir.path(), {}, "test", options);
    for (int i = 0; i < kSeries; ++i) w.addSeries(labelsOf(i), chunksOf(i));
    block = w.finish();
  });
  uint64_t index_size = std::filesystem::file_size(block + "/index");
  uint64_t chunks_size = std::filesystem::file_size(block + "/chunks/000001");
  std::printf("streaming writer: %d series, index %.1f MiB, chunks %.1f MiB, peak heap %.2f MiB\n",
              kSeries, index_size / 1048576.0, chunks_size / 1048576.0, streaming / 1048576.0);
  EXPECT_LT(streaming, kBound);

  // Read back: every series, label and sample.
  auto r = BlockReader::open(block);
  EXPECT_EQ(r->meta().num_series, uint64_t(kSeries));
  EXPECT_EQ(r->meta().num_samples, uint64_t(kSeries) * kSamples);
  EXPECT_EQ(r->labelValues("instance").size(), 1000u);
  EXPECT_EQ(r->labelValues("__name__").size(), 200u);
  auto all = r->postings("", "");
  ASSERT_EQ(all.size(), size_t(kSeries));
  EXPECT_EQ(r->postings("job", "node"), all);
  auto m = r->postings("__name__", "metric_0123");
  ASSERT_EQ(m.size(), 1000u);
  EXPECT_EQ(m.front(), all[123'000]);
  EXPECT_EQ(m.back(), all[123'999]);
  auto h = r->postings("instance", "host-0042");
  ASSERT_EQ(h.size(), 200u);
  EXPECT_EQ(h[5], all[5042]);
  for (int i = 0; i < kSeries; ++i) {
    LabelSet ls;
    std::vector<ChunkRef> chunks;
    ASSERT_TRUE(r->series(all[size_t(i)], &ls, &chunks));
    ASSERT_EQ(ls, labelsOf(i));
    ASSERT_EQ(chunks.size(), 1u);
    const uint8_t* d;
    size_t n;
    ASSERT_TRUE(r->chunk(chunks[0].ref, &d, &n));
    auto want = chunksOf(i)[0].xor_bytes;
    ASSERT_EQ(std::vector<uint8_t>(d, d + n), want) << i;
    ASSERT_EQ(chunks[0].min_time, decodeAll(want.data(), want.size()).front().t);
  }
}

// The measurement can fail: the same block through the buffering BlockWriter (which holds
// every series and chunk until finish) goes well over the bound.
TEST(StreamingBlockWriter, BufferingWriterExceedsTheBound) {
  TempDir dir;
  int64_t buffered = peakDuring([&] {
    BlockWriter w(dir.path(), {}, "test");
    for (int i = 0; i < kSeries; ++i) w.addSeries(labelsOf(i), chunksOf(i));
    w.finish();
  });
  std::printf("buffering writer: peak heap %.2f MiB\n", buffered / 1048576.0);
  EXPECT_GT(buffered, kBound);
}

}  // namespace
}  // namespace strata::tsdb
