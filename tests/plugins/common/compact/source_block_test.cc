// Reading source blocks by range: sequential reads served from read-ahead windows (few GETs),
// a pool bounding the windows alive across objects, and a block read back whole through it.
#include "compact/source_block.h"

#include <gtest/gtest.h>

#include "block_fixture.h"
#include "bucket/bucket_factory.h"

namespace strata::compact {
namespace {

using namespace testing;

std::shared_ptr<bucket::Bucket> fsBucket(const std::string& dir) {
  bucket::BucketConfig c;
  c.type = "filesystem";
  c.config["directory"] = dir;
  return bucket::makeBucket(c);
}

std::string pattern(size_t n, int seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = char((i * 131 + size_t(seed)) % 251);
  return s;
}

TEST(WindowByteSource, SequentialReadsComeFromWindows) {
  TempDir dir;
  auto bkt = fsBucket(dir.path());
  std::string data = pattern(1 << 20, 1);
  bkt->put("obj", data);
  auto src = std::make_shared<WindowByteSource>(bkt, "obj", data.size(), 64 << 10, nullptr);
  // A read that follows nothing fetches just itself.
  auto head = src->read(0, 8);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(head.data()), 8), data.substr(0, 8));
  EXPECT_EQ(src->fetches(), 1u);
  for (uint64_t off = 8; off + 1000 <= data.size(); off += 1000) {
    auto v = src->read(off, 1000);
    ASSERT_EQ(std::string(reinterpret_cast<const char*>(v.data()), 1000), data.substr(off, 1000))
        << off;
  }
  // About 1 MiB / 64 KiB windows, plus reads straddling a window's end.
  EXPECT_LE(src->fetches(), 40u);
  // A read larger than a window goes straight to the bucket; ranges outside throw.
  auto big = src->read(0, 200 << 10);
  EXPECT_EQ(big.size(), size_t(200 << 10));
  EXPECT_THROW(src->read(data.size() - 1, 2), std::runtime_error);
}

TEST(WindowByteSource, PoolBoundsTheWindowsAlive) {
  TempDir dir;
  auto bkt = fsBucket(dir.path());
  auto pool = std::make_shared<WindowPool>(2);
  std::vector<std::shared_ptr<WindowByteSource>> srcs;
  std::vector<std::string> datas;
  for (int i = 0; i < 5; ++i) {
    datas.push_back(pattern(256 << 10, i));
    bkt->put("o" + std::to_string(i), datas.back());
    srcs.push_back(std::make_shared<WindowByteSource>(
        bkt, "o" + std::to_string(i), datas.back().size(), 64 << 10, nullptr, pool));
  }
  for (uint64_t off = 0; off + 512 <= (256 << 10); off += 512)
    for (int i = 0; i < 5; ++i) {
      auto v = srcs[size_t(i)]->read(off, 512);
      ASSERT_EQ(std::string(reinterpret_cast<const char*>(v.data()), 512),
                datas[size_t(i)].substr(off, 512));
      ASSERT_LE(pool->windows(), 2u);
    }
}

TEST(WindowByteSource, BlockReadWholeThroughTheBucket) {
  TempDir dir;
  Data d;
  for (int i = 0; i < 300; ++i)
    d[{{"__name__", "m"}, {"i", std::to_string(1000 + i)}}] = samples(0, 2 * kHour, 15000, i);
  auto ulid = writeBlock(dir.path(), 0, 2 * kHour, d);
  tsdb::BlockMeta meta = tsdb::BlockReader::open(dir.path() + "/" + ulid)->meta();
  auto pool = std::make_shared<WindowPool>(2);
  auto r = openSourceBlock(fsBucket(dir.path()), meta, 16 << 10, nullptr, pool);
  Data got;
  for (uint64_t ref : r->postings("", "")) {
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkRef> chunks;
    ASSERT_TRUE(r->series(ref, &labels, &chunks));
    for (const auto& c : chunks) {
      uint8_t enc;
      tsdb::ByteView v;
      std::string err;
      ASSERT_TRUE(r->rawChunk(c.ref, &enc, &v, &err)) << err;
      tsdb::XorIterator it(v.data(), v.size());
      while (it.next()) got[labels].push_back({it.t(), it.v()});
    }
    ASSERT_LE(pool->windows(), 2u);
  }
  EXPECT_EQ(got, d);
}

TEST(WindowByteSource, MissingIndexIsACorruptBlock) {
  TempDir dir;
  auto ulid = writeBlock(dir.path(), 0, 2 * kHour, {{{{"a", "b"}}, samples(0, kHour, 60000)}});
  tsdb::BlockMeta meta = tsdb::BlockReader::open(dir.path() + "/" + ulid)->meta();
  fs::remove(dir.path() + "/" + ulid + "/index");
  EXPECT_THROW(openSourceBlock(fsBucket(dir.path()), meta, 4096, nullptr), CorruptBlock);
}

}  // namespace
}  // namespace strata::compact
