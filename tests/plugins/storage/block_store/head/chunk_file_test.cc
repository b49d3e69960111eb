// ChunkFile: chunks read back in place through a mapping that outlives growth and drops.
#include "head/chunk_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <vector>

namespace strata::block_store {
namespace {

constexpr int64_t kHour = 3600 * 1000;

std::filesystem::path tempDir() {
  return std::filesystem::temp_directory_path() /
         ("strata-chunk-file-" + std::to_string(std::random_device{}()));
}

std::vector<uint8_t> bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(seed + i * 7);
  return b;
}

TEST(ChunkFile, ViewAndReadGiveTheWrittenBytes) {
  ChunkFile file(tempDir().string(), kHour);
  auto a = bytes(300, 1), b = bytes(17, 2);
  uint64_t oa = 0, ob = 0;
  ASSERT_TRUE(file.write(10, a.data(), a.size(), &oa));
  ASSERT_TRUE(file.write(20, b.data(), b.size(), &ob));
  std::shared_ptr<const void> keep;
  const uint8_t* p = file.view(20, ob, b.size(), &keep);
  EXPECT_EQ(std::vector<uint8_t>(p, p + b.size()), b);
  std::vector<uint8_t> out(a.size());
  file.read(10, oa, a.size(), out.data());
  EXPECT_EQ(out, a);
  EXPECT_THROW(file.view(20, ob, b.size() + 1, &keep), std::runtime_error);  // past the end
  EXPECT_THROW(file.view(2 * kHour, 0, 1, &keep), std::runtime_error);       // no segment
}

TEST(ChunkFile, AViewOutlivesTheSegmentsDrop) {
  ChunkFile file(tempDir().string(), kHour);
  auto a = bytes(1000, 3);
  uint64_t off = 0;
  ASSERT_TRUE(file.write(5, a.data(), a.size(), &off));
  std::shared_ptr<const void> keep;
  const uint8_t* p = file.view(5, off, a.size(), &keep);
  file.dropBefore(kHour);  // unlinks the segment while a select still reads it
  EXPECT_EQ(file.bytesOnDisk(), 0u);
  EXPECT_EQ(std::vector<uint8_t>(p, p + a.size()), a);
}

TEST(ChunkFile, AViewOutlivesTheRemapOfAGrownSegment) {
  ChunkFile file(tempDir().string(), kHour);
  auto first = bytes(4096, 4);
  uint64_t first_off = 0;
  ASSERT_TRUE(file.write(1, first.data(), first.size(), &first_off));
  std::shared_ptr<const void> keep_first;
  const uint8_t* p = file.view(1, first_off, first.size(), &keep_first);
  // Grow past the first mapping (16 MiB), so the next view maps the segment again.
  auto filler = bytes(1 << 20, 5);
  uint64_t off = 0;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(file.write(1, filler.data(), filler.size(), &off));
  std::shared_ptr<const void> keep_last;
  const uint8_t* q = file.view(1, off, filler.size(), &keep_last);
  EXPECT_NE(keep_first, keep_last);
  EXPECT_EQ(std::vector<uint8_t>(q, q + filler.size()), filler);
  EXPECT_EQ(std::vector<uint8_t>(p, p + first.size()), first);
}

}  // namespace
}  // namespace strata::block_store
