// Chunk segment files: cutting at the size limit and reading every chunk back.
#include "tsdb/chunks/chunk_segments.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::tsdb {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(ChunkSegments, CutAtSizeLimitAndReadBack) {
  TempDir dir;
  std::vector<std::vector<uint8_t>> chunks;
  std::vector<uint64_t> refs;
  {
    ChunkSegmentWriter w(dir.path(), 1000);
    for (int i = 0; i < 50; ++i) {
      std::vector<uint8_t> c(60 + i, uint8_t(i));
      refs.push_back(w.write(kEncXor, c.data(), c.size()));
      chunks.push_back(std::move(c));
    }
    w.finish();
    EXPECT_GT(w.numSegments(), 3u);
  }
  EXPECT_TRUE(fs::exists(dir.path() + "/000001"));
  EXPECT_TRUE(fs::exists(dir.path() + "/000002"));
  ChunkSegmentReader r(dir.path());
  for (size_t i = 0; i < chunks.size(); ++i) {
    uint8_t enc;
    const uint8_t* d;
    size_t n;
    std::string err;
    ASSERT_TRUE(r.chunk(refs[i], &enc, &d, &n, &err)) << err;
    EXPECT_EQ(enc, kEncXor);
    EXPECT_EQ(std::vector<uint8_t>(d, d + n), chunks[i]);
    EXPECT_LE(refs[i] & 0xffffffff, 1000u);
  }
  EXPECT_EQ(refs.front(), 8u);  // first chunk right after the 8-byte header of 000001
  EXPECT_GT(refs.back() >> 32, 0u);
}

}  // namespace
}  // namespace strata::tsdb
