#include "bucket/bucket_layout.h"

#include <gtest/gtest.h>

namespace strata::bucket {
namespace {

constexpr const char* kUlid = "01HQ3S4T5V6W7X8Y9Z0ABCDEFG";

TEST(BucketLayout, BlockFileNames) {
  EXPECT_EQ(blockMetaName(kUlid), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/meta.json");
  EXPECT_EQ(blockIndexName(kUlid), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/index");
  EXPECT_EQ(blockChunksPrefix(kUlid), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/chunks/");
  EXPECT_EQ(blockChunkName(kUlid, 1), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/chunks/000001");
  EXPECT_EQ(blockChunkName(kUlid, 123456), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/chunks/123456");
  EXPECT_THROW(blockChunkName(kUlid, 0), std::invalid_argument);
  EXPECT_EQ(blockDeletionMarkName(kUlid), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/deletion-mark.json");
  EXPECT_EQ(blockNoCompactMarkName(kUlid), "01HQ3S4T5V6W7X8Y9Z0ABCDEFG/no-compact-mark.json");
}

TEST(BucketLayout, IsUlid) {
  EXPECT_TRUE(isUlid(kUlid));
  EXPECT_TRUE(isUlid("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"));   // the largest ULID
  EXPECT_TRUE(isUlid("01hq3s4t5v6w7x8y9z0abcdefg"));   // oklog/ulid parses either case
  EXPECT_FALSE(isUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));  // timestamp overflow
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEF"));   // 25 chars
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEFGH"));
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEFI"));  // I, L, O, U are not Crockford
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEFL"));
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEFO"));
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEFU"));
  EXPECT_FALSE(isUlid("01HQ3S4T5V6W7X8Y9Z0ABCDEF-"));
  EXPECT_FALSE(isUlid(""));
}

TEST(BucketLayout, BlockUlidOfTopLevelEntry) {
  EXPECT_EQ(blockUlidOfEntry("01HQ3S4T5V6W7X8Y9Z0ABCDEFG/"), kUlid);
  EXPECT_FALSE(blockUlidOfEntry("01HQ3S4T5V6W7X8Y9Z0ABCDEFG"));  // an object, not a dir entry
  EXPECT_FALSE(blockUlidOfEntry("debug/"));
  EXPECT_FALSE(blockUlidOfEntry("01HQ3S4T5V6W7X8Y9Z0ABCDEFG/meta.json"));
  EXPECT_FALSE(blockUlidOfEntry("01HQ3S4T5V6W7X8Y9Z0ABCDEFGX/"));
}

}  // namespace
}  // namespace strata::bucket
