#include "head/symbol_table.h"

#include <gtest/gtest.h>

namespace strata::block_store {
namespace {

TEST(SymbolTable, CountsHoldersAndDeadSymbols) {
  SymbolTable t;
  uint32_t a = t.intern("a");
  EXPECT_EQ(t.intern("a"), a);  // two holders
  uint32_t b = t.intern("b");
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.dead(), 0u);
  t.release(a);
  EXPECT_EQ(t.dead(), 0u);  // one holder left
  t.release(a);
  t.release(b);
  EXPECT_EQ(t.dead(), 2u);
  EXPECT_EQ(t.find("a"), a);    // dead symbols stay until a compaction
  EXPECT_EQ(t.intern("a"), a);  // ... and come back to life when used again
  EXPECT_EQ(t.dead(), 1u);
}

TEST(SymbolTable, CompactedKeepsOnlyLiveSymbolsInOrder) {
  SymbolTable t;
  std::vector<uint32_t> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(t.intern("s" + std::to_string(i)));
  t.intern("s4");                       // two holders
  std::string long_value(40'000, 'x');  // gets an arena block of its own
  uint32_t big = t.intern(long_value);
  for (int i = 0; i < 10; i += 2) t.release(ids[i]);  // s0, s2, ... die; s4 keeps a holder
  std::vector<uint32_t> remap;
  SymbolTable c = t.compacted(&remap);
  ASSERT_EQ(remap.size(), t.size());
  EXPECT_EQ(c.size(), 7u);  // s1 s3 s4 s5 s7 s9 and the long one
  EXPECT_EQ(c.dead(), 0u);
  uint32_t next = 0;
  for (int i = 0; i < 10; ++i) {
    bool live = i % 2 == 1 || i == 4;
    if (!live) {
      EXPECT_EQ(remap[ids[i]], SymbolTable::kDropped) << i;
      EXPECT_FALSE(c.find("s" + std::to_string(i))) << i;
      continue;
    }
    EXPECT_EQ(remap[ids[i]], next++) << i;  // relative order kept
    EXPECT_EQ(c.get(remap[ids[i]]), "s" + std::to_string(i));
    EXPECT_EQ(c.find("s" + std::to_string(i)), remap[ids[i]]);
  }
  EXPECT_EQ(c.get(remap[big]), long_value);
  // Reference counts move along: s4 had one holder left, so one release kills it.
  c.release(remap[ids[4]]);
  EXPECT_EQ(c.dead(), 1u);
  EXPECT_LT(c.memoryBytes(), t.memoryBytes());
}

}  // namespace
}  // namespace strata::block_store
