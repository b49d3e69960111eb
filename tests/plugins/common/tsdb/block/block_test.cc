#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "test_util.h"
#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/block/meta_json.h"
#include "tsdb/encoding/crc32c.h"

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
    LabelSet ls = {{"__name__", s % 2 ? "node_cpu_seconds_total" : "node_load1"},
                   {"instance", "host-" + std::to_string(s / 10)},
                   {"job", "node"},
                   {"shard", std::to_string(s % 10)}};
    auto& v = m[ls];
    for (int i = 0; i < samples; ++i)
      v.push_back({1'700'000'000'000 + i * 15'000 + (s % 3), s * 0.5 + i * 0.25 * (s % 2)});
  }
  return m;
}

SeriesMap readAll(const BlockReader& r) {
  SeriesMap out;
  for (uint64_t ref : r.postings("", "")) {
    LabelSet ls;
    std::vector<ChunkRef> chunks;
    EXPECT_TRUE(r.series(ref, &ls, &chunks));
    auto& v = out[ls];
    for (const auto& c : chunks) {
      const uint8_t* d;
      size_t n;
      EXPECT_TRUE(r.chunk(c.ref, &d, &n));
      bool ok = false;
      auto s = decodeAll(d, n, &ok);
      EXPECT_TRUE(ok);
      EXPECT_EQ(s.front().t, c.min_time);
      EXPECT_EQ(s.back().t, c.max_time);
      v.insert(v.end(), s.begin(), s.end());
    }
  }
  return out;
}

bool sameSamples(const SeriesMap& a, const SeriesMap& b) {
  if (a.size() != b.size()) return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    if (ia->first != ib->first || ia->second.size() != ib->second.size()) return false;
    for (size_t i = 0; i < ia->second.size(); ++i)
      if (ia->second[i].t != ib->second[i].t || ia->second[i].v != ib->second[i].v) return false;
  }
  return true;
}

std::string writeBlock(const std::string& parent, const SeriesMap& data, BlockMeta meta = {},
                       const std::string& source = "test") {
  BlockWriter w(parent, std::move(meta), source);
  // Reverse order on purpose: the writer sorts.
  for (auto it = data.rbegin(); it != data.rend(); ++it)
    w.addSeries(it->first, makeChunks(it->second));
  return w.finish();
}

TEST(Block, WriteReadRoundTrip) {
  TempDir dir;
  auto data = sampleData(300, 500);
  BlockMeta meta;
  meta.thanos_labels = {{"tenant_id", "t1"}};
  std::string block = writeBlock(dir.path(), data, meta, "sidecar");
  EXPECT_TRUE(fs::exists(block + "/meta.json"));
  EXPECT_TRUE(fs::exists(block + "/index"));
  EXPECT_TRUE(fs::exists(block + "/chunks/000001"));
  EXPECT_TRUE(fs::exists(block + "/tombstones"));
  EXPECT_FALSE(fs::exists(block + ".tmp"));

  auto r = BlockReader::open(block);
  const BlockMeta& m = r->meta();
  EXPECT_EQ(fs::path(block).filename().string(), m.ulid);
  EXPECT_EQ(m.num_series, 300u);
  EXPECT_EQ(m.num_samples, 300u * 500);
  EXPECT_EQ(m.num_chunks, 300u * 5);  // 500 samples in chunks of 120
  EXPECT_EQ(m.min_time, 1'700'000'000'000);
  EXPECT_EQ(m.max_time, 1'700'000'000'000 + 499 * 15'000 + 2 + 1);
  EXPECT_EQ(m.compaction_level, 1);
  EXPECT_EQ(m.compaction_sources, std::vector<std::string>{m.ulid});
  EXPECT_EQ(m.thanos_labels.at("tenant_id"), "t1");
  EXPECT_EQ(m.thanos_source, "sidecar");

  EXPECT_TRUE(sameSamples(readAll(*r), data));
  EXPECT_EQ(r->labelNames(), (std::vector<std::string>{"__name__", "instance", "job", "shard"}));
  EXPECT_EQ(r->labelValues("shard").size(), 10u);
  EXPECT_EQ(r->postings("shard", "3").size(), 30u);
  EXPECT_EQ(r->postings("instance", "host-7").size(), 10u);
  EXPECT_TRUE(r->postings("instance", "nope").empty());
}

TEST(Block, SourceIsTheWritersNeverDefaulted) {
  TempDir dir;
  auto data = sampleData(2, 3);
  // A meta taken from another block names that block's writer; the block says who wrote it.
  BlockMeta meta;
  meta.thanos_source = "receive";
  auto r = BlockReader::open(writeBlock(dir.path(), data, meta, "compactor"));
  EXPECT_EQ(r->meta().thanos_source, "compactor");
  std::ifstream in(r->dir() + "/meta.json");
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(json.find("\"source\": \"compactor\""), std::string::npos) << json;

  EXPECT_THROW(BlockWriter(dir.path(), {}, ""), std::invalid_argument);
  EXPECT_EQ(BlockMeta{}.thanos_source, "");
  EXPECT_THROW(metaToJson(BlockMeta{}), std::invalid_argument);
}

TEST(Block, DuplicateSeriesAndUnsortedLabelsRejected) {
  TempDir dir;
  BlockWriter w(dir.path(), {}, "test");
  EXPECT_THROW(w.addSeries({{"b", "1"}, {"a", "1"}}, {}), std::invalid_argument);
  w.addSeries({{"a", "1"}}, makeChunks({{1, 1}}));
  w.addSeries({{"a", "1"}}, makeChunks({{2, 1}}));
  EXPECT_THROW(w.finish(), std::invalid_argument);
}

TEST(Block, AbandonedWriterLeavesNothing) {
  TempDir dir;
  {
    BlockWriter w(dir.path(), {}, "test");
    w.addSeries({{"a", "1"}}, makeChunks({{1, 1}}));
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(Block, NonXorChunkFailsAloneAndCorruptionIsDetected) {
  TempDir dir;
  SeriesMap data = sampleData(4, 10);
  std::string block = writeBlock(dir.path(), data);
  auto r = BlockReader::open(block);
  auto refs = r->postings("", "");
  std::vector<ChunkRef> first, second;
  ASSERT_TRUE(r->series(refs[0], nullptr, &first));
  ASSERT_TRUE(r->series(refs[1], nullptr, &second));
  r.reset();

  // Rewrite the first chunk as encoding 2 (histogram) with a valid checksum.
  std::string seg = block + "/chunks/000001";
  uint64_t off = first[0].ref & 0xffffffff;
  std::fstream io(seg, std::ios::in | std::ios::out | std::ios::binary);
  io.seekg(off);
  uint8_t len = uint8_t(io.get());  // small chunks: 1-byte uvarint
  std::vector<char> body(1 + len);
  io.read(body.data(), body.size());
  body[0] = 2;
  uint32_t crc = crc32c(0, body.data(), body.size());
  io.seekp(off + 1);
  io.write(body.data(), body.size());
  for (int s = 24; s >= 0; s -= 8) io.put(char(crc >> s));
  io.close();

  r = BlockReader::open(block);
  const uint8_t* d;
  size_t n;
  uint8_t enc;
  std::string err;
  EXPECT_FALSE(r->chunk(first[0].ref, &d, &n));
  EXPECT_TRUE(r->rawChunk(first[0].ref, &enc, &d, &n, &err));
  EXPECT_EQ(enc, 2);
  EXPECT_TRUE(r->chunk(second[0].ref, &d, &n));
  r.reset();

  // Damage the second chunk's data: its checksum fails, with a message.
  std::fstream io2(seg, std::ios::in | std::ios::out | std::ios::binary);
  io2.seekp((second[0].ref & 0xffffffff) + 4);
  io2.put('\x7f');
  io2.close();
  r = BlockReader::open(block);
  EXPECT_FALSE(r->rawChunk(second[0].ref, &enc, &d, &n, &err));
  EXPECT_NE(err.find("checksum"), std::string::npos) << err;
  EXPECT_FALSE(r->rawChunk(uint64_t(7) << 32 | 8, &enc, &d, &n, &err));
}

}  // namespace
}  // namespace strata::tsdb

namespace strata::tsdb {
namespace {

TEST(StreamingBlockWriter, WantsSortedSeriesAndCleansUp) {
  testing::TempDir dir;
  std::string tmp;
  {
    StreamingBlockWriter w(dir.path(), {}, "test");
    tmp = w.tmpDir();
    w.addSeries({{"a", "2"}}, testing::makeChunks({{1, 1.0}}));
    EXPECT_THROW(w.addSeries({{"a", "1"}}, {}), std::invalid_argument);
    EXPECT_THROW(w.addSeries({{"a", "2"}}, {}), std::invalid_argument);
    EXPECT_TRUE(fs::exists(tmp + "/chunks/000001"));  // chunks are written as series come
  }
  EXPECT_FALSE(fs::exists(tmp));  // dropped without finish(): nothing left
  EXPECT_THROW(StreamingBlockWriter(dir.path(), {}, ""), std::invalid_argument);
}

TEST(StreamingBlockWriter, SameBlockAsTheBufferingWriter) {
  testing::TempDir dir;
  auto data = sampleData(300, 240);
  BlockMeta meta;
  meta.ulid = "01HAAAAAAAAAAAAAAAAAAAAAAA";
  std::string buffered = writeBlock(dir.path(), data, meta);
  meta.ulid = "01HBBBBBBBBBBBBBBBBBBBBBBB";
  StreamingBlockWriter w(dir.path(), meta, "test");
  for (const auto& [ls, s] : data) w.addSeries(ls, testing::makeChunks(s));
  std::string streamed = w.finish();
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(bytes(buffered + "/index"), bytes(streamed + "/index"));
  EXPECT_EQ(bytes(buffered + "/chunks/000001"), bytes(streamed + "/chunks/000001"));
  EXPECT_FALSE(fs::exists(streamed + "/index.tmp-series"));
  EXPECT_TRUE(sameSamples(readAll(*BlockReader::open(streamed)), data));
}

}  // namespace
}  // namespace strata::tsdb
