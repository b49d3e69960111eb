// The index and chunk readers over both kinds of ByteSource: the same checks on a local
// memory map and on a callback source (standing in for a bucket's ranged GETs) that counts
// what it fetches, so reading one series must not fetch the whole index or segment.
#include "tsdb/fileutil/byte_source.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "test_util.h"
#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/chunks/chunk_segments.h"
#include "tsdb/index/index_reader.h"

namespace strata::tsdb {
namespace {

namespace fs = std::filesystem;
using testing::decodeAll;
using testing::makeChunks;
using testing::Sample;
using testing::TempDir;

using SeriesMap = std::map<LabelSet, std::vector<Sample>>;

SeriesMap sampleData(int series, int samples) {
  SeriesMap m;
  for (int s = 0; s < series; ++s) {
    LabelSet ls = {{"__name__", "metric_" + std::to_string(s % 7)},
                   {"instance", "host-" + std::to_string(s / 7)},
                   {"job", "node"}};
    auto& v = m[ls];
    for (int i = 0; i < samples; ++i) v.push_back({1'700'000'000'000 + i * 15'000, s + i * 0.5});
  }
  return m;
}

// A "bucket": whole files in memory, fetched by range with the bytes counted.
struct Fetcher {
  std::atomic<uint64_t> bytes{0}, calls{0};
  std::shared_ptr<const ByteSource> source(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    auto data = std::make_shared<std::vector<uint8_t>>(std::istreambuf_iterator<char>(in),
                                                       std::istreambuf_iterator<char>());
    return std::make_shared<CallbackByteSource>(
        path, data->size(), [this, data](uint64_t off, uint64_t len) {
          bytes += len;
          ++calls;
          return std::vector<uint8_t>(data->begin() + off, data->begin() + off + len);
        });
  }
};

enum class Kind { kMmap, kCallback };

class ByteSourceReaders : public ::testing::TestWithParam<Kind> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    data_ = new SeriesMap(sampleData(3000, 480));
    BlockWriter w(dir_->path(), {}, "test");
    for (const auto& [ls, s] : *data_) w.addSeries(ls, makeChunks(s));
    block_ = new std::string(w.finish());
  }
  static void TearDownTestSuite() {
    delete block_;
    delete data_;
    delete dir_;
  }
  std::unique_ptr<BlockReader> open() {
    if (GetParam() == Kind::kMmap) return BlockReader::open(*block_);
    std::vector<std::shared_ptr<const ByteSource>> segs;
    for (size_t i = 0; fs::exists(*block_ + "/chunks/" + segmentFileName(i)); ++i)
      segs.push_back(fetch_.source(*block_ + "/chunks/" + segmentFileName(i)));
    return BlockReader::open("remote", {}, fetch_.source(*block_ + "/index"), std::move(segs));
  }
  std::vector<Sample> samplesOf(const BlockReader& r, uint64_t ref, LabelSet* ls) {
    std::vector<ChunkRef> chunks;
    EXPECT_TRUE(r.series(ref, ls, &chunks));
    std::vector<Sample> out;
    for (const auto& c : chunks) {
      uint8_t enc = 0;
      ByteView v;
      std::string err;
      EXPECT_TRUE(r.rawChunk(c.ref, &enc, &v, &err)) << err;
      EXPECT_EQ(enc, kEncXor);
      EXPECT_EQ(v.owning(), GetParam() == Kind::kCallback);
      bool ok = false;
      auto s = decodeAll(v.data(), v.size(), &ok);
      EXPECT_TRUE(ok);
      out.insert(out.end(), s.begin(), s.end());
    }
    return out;
  }
  static TempDir* dir_;
  static SeriesMap* data_;
  static std::string* block_;
  Fetcher fetch_;
};

TempDir* ByteSourceReaders::dir_ = nullptr;
SeriesMap* ByteSourceReaders::data_ = nullptr;
std::string* ByteSourceReaders::block_ = nullptr;

TEST_P(ByteSourceReaders, EverySeriesAndSampleReadsBack) {
  auto r = open();
  EXPECT_EQ(r->labelNames(), (std::vector<std::string>{"__name__", "instance", "job"}));
  EXPECT_EQ(r->labelValues("__name__").size(), 7u);
  EXPECT_EQ(r->labelValues("job"), (std::vector<std::string>{"node"}));
  auto all = r->postings("", "");
  ASSERT_EQ(all.size(), data_->size());
  auto it = data_->begin();
  for (uint64_t ref : all) {
    LabelSet ls;
    auto s = samplesOf(*r, ref, &ls);
    ASSERT_EQ(ls, it->first);
    ASSERT_EQ(s.size(), it->second.size());
    for (size_t i = 0; i < s.size(); ++i) {
      ASSERT_EQ(s[i].t, it->second[i].t);
      ASSERT_EQ(s[i].v, it->second[i].v);
    }
    ++it;
  }
  auto m3 = r->postings("__name__", "metric_3");
  EXPECT_EQ(m3.size(), 429u);  // 3000 = 7 * 428 + 4
  for (uint64_t ref : m3) {
    LabelSet ls;
    ASSERT_TRUE(r->series(ref, &ls, nullptr));
    EXPECT_EQ(ls[0].second, "metric_3");
  }
}

TEST_P(ByteSourceReaders, PointerApiOnlyForLocalFiles) {
  auto r = open();
  LabelSet ls;
  std::vector<ChunkRef> chunks;
  ASSERT_TRUE(r->series(r->postings("", "").front(), &ls, &chunks));
  const uint8_t* d = nullptr;
  size_t n = 0;
  EXPECT_EQ(r->chunk(chunks[0].ref, &d, &n), GetParam() == Kind::kMmap);
}

TEST_P(ByteSourceReaders, ConcurrentReadersShareOneBlockReader) {
  auto r = open();
  auto all = r->postings("", "");
  std::atomic<size_t> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = size_t(t); i < all.size(); i += 7) {
        LabelSet ls;
        std::vector<ChunkRef> chunks;
        if (!r->series(all[i], &ls, &chunks)) ++bad;
        for (const auto& c : chunks) {
          uint8_t enc;
          ByteView v;
          std::string err;
          if (!r->rawChunk(c.ref, &enc, &v, &err) || decodeAll(v.data(), v.size()).empty()) ++bad;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Sources, ByteSourceReaders,
                         ::testing::Values(Kind::kMmap, Kind::kCallback), [](const auto& info) {
                           return info.param == Kind::kMmap ? "Mmap" : "Callback";
                         });

// What the remote case costs: opening fetches the TOC, symbols and postings offset table
// only; one series plus its chunks is a few small ranges.
TEST(ByteSourceFetches, OneSeriesFetchesFarLessThanTheFiles) {
  TempDir dir;
  auto data = sampleData(3000, 480);
  BlockWriter w(dir.path(), {}, "test");
  for (const auto& [ls, s] : data) w.addSeries(ls, makeChunks(s));
  std::string block = w.finish();
  uint64_t index_size = fs::file_size(block + "/index");
  uint64_t chunks_size = fs::file_size(block + "/chunks/000001");

  Fetcher f;
  auto r = BlockReader::open("remote", {}, f.source(block + "/index"),
                             {f.source(block + "/chunks/000001")});
  uint64_t at_open = f.bytes;
  std::printf("index %llu bytes, chunks %llu bytes; open fetched %llu bytes in %llu reads\n",
              (unsigned long long)index_size, (unsigned long long)chunks_size,
              (unsigned long long)at_open, (unsigned long long)f.calls.load());
  EXPECT_LT(at_open, index_size / 2);

  f.bytes = 0;
  f.calls = 0;
  auto refs = r->postings("instance", "host-100");
  ASSERT_EQ(refs.size(), 7u);
  LabelSet ls;
  std::vector<ChunkRef> chunks;
  ASSERT_TRUE(r->series(refs[3], &ls, &chunks));
  ASSERT_EQ(chunks.size(), 4u);
  size_t samples = 0;
  for (const auto& c : chunks) {
    uint8_t enc;
    ByteView v;
    std::string err;
    ASSERT_TRUE(r->rawChunk(c.ref, &enc, &v, &err)) << err;
    samples += decodeAll(v.data(), v.size()).size();
  }
  EXPECT_EQ(samples, 480u);
  std::printf("postings + one series + its 4 chunks fetched %llu bytes in %llu reads\n",
              (unsigned long long)f.bytes.load(), (unsigned long long)f.calls.load());
  // 2 reads per postings list, 1 per series entry, 1 per chunk (all below the guesses).
  EXPECT_LE(f.calls.load(), 2u + 1u + 4u);
  EXPECT_LT(f.bytes.load(), 4096u);
  EXPECT_LT(f.bytes.load() * 100, index_size + chunks_size);
}

TEST(ByteSourceFetches, ShortOrFailingFetchesAreErrors) {
  CallbackByteSource s(
      "obj", 100, [](uint64_t, uint64_t len) { return std::vector<uint8_t>(len > 10 ? 10 : len); });
  EXPECT_EQ(s.read(0, 10).size(), 10u);
  EXPECT_THROW(s.read(0, 20), std::runtime_error);   // short answer
  EXPECT_THROW(s.read(95, 10), std::runtime_error);  // past the end
  EXPECT_EQ(s.readUpTo(95, 5).size(), 5u);
  EXPECT_THROW(
      IndexReader{std::make_shared<CallbackByteSource>(
          "obj", 100,
          [](uint64_t, uint64_t) -> std::vector<uint8_t> { throw std::runtime_error("503"); })},
      std::runtime_error);
}

TEST(ByteSourceFetches, LongSeriesEntriesAndChunksTakeASecondRead) {
  TempDir dir;
  // One series with many chunks (entry > 512 bytes) and one chunk larger than 512 bytes.
  std::vector<Sample> s;
  for (int i = 0; i < 40000; ++i) s.push_back({i * 1000, double(i % 977) * 1.37});
  BlockWriter w(dir.path(), {}, "test");
  w.addSeries({{"a", "b"}}, makeChunks(s, 120));
  w.addSeries({{"a", "c"}}, makeChunks(s, 4000));
  std::string block = w.finish();
  Fetcher f;
  auto r = BlockReader::open("remote", {}, f.source(block + "/index"),
                             {f.source(block + "/chunks/000001")});
  for (uint64_t ref : r->postings("", "")) {
    LabelSet ls;
    std::vector<ChunkRef> chunks;
    ASSERT_TRUE(r->series(ref, &ls, &chunks));
    size_t n = 0;
    for (const auto& c : chunks) {
      uint8_t enc;
      ByteView v;
      std::string err;
      ASSERT_TRUE(r->rawChunk(c.ref, &enc, &v, &err)) << err;
      n += decodeAll(v.data(), v.size()).size();
    }
    EXPECT_EQ(n, s.size()) << ls[0].second;
  }
}

}  // namespace
}  // namespace strata::tsdb
