#include "core/config/config_node.h"

#include <gtest/gtest.h>

namespace strata::config {
namespace {

TEST(ConfigNode, KeysAndValuesHaveOneBasedPositions) {
  Diagnostics diags;
  ConfigNode root = parseYaml("a:\n  bb: \"x\"\n  c: [1, two]\n", "f.yaml", diags);
  ASSERT_FALSE(diags.hasErrors());
  ASSERT_TRUE(root.isMap());
  EXPECT_EQ(root.keys[0].pos.line, 1);
  EXPECT_EQ(root.keys[0].pos.column, 1);
  const ConfigNode* a = root.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->keys[0].scalar, "bb");
  EXPECT_EQ(a->keys[0].pos.line, 2);
  EXPECT_EQ(a->keys[0].pos.column, 3);
  const ConfigNode* bb = a->find("bb");
  EXPECT_EQ(bb->pos.line, 2);
  EXPECT_EQ(bb->pos.column, 7);
  EXPECT_TRUE(bb->quoted);
  const ConfigNode* c = a->find("c");
  ASSERT_TRUE(c->isSequence());
  EXPECT_EQ(c->items[1].scalar, "two");
  EXPECT_FALSE(c->items[1].quoted);
  EXPECT_EQ(c->items[1].pos.column, 10);
  EXPECT_EQ(c->items[1].pos.file, "f.yaml");
}

TEST(ConfigNode, ImplicitNullPointsAtItsKeyNotTheNextToken) {
  Diagnostics diags;
  ConfigNode root = parseYaml("a:\nb: 1\n", "f.yaml", diags);
  const ConfigNode* a = root.find("a");
  ASSERT_TRUE(a && a->isNull());
  EXPECT_EQ(a->pos.line, 1);
}

TEST(ConfigNode, SyntaxErrorIsReportedAtMarkPlusOne) {
  Diagnostics diags;
  ConfigNode root = parseYaml("a: [1\nb: 2\n", "f.yaml", diags);
  ASSERT_EQ(diags.items().size(), 1u);
  const Diagnostic& d = diags.items()[0];
  EXPECT_EQ(d.code, "yaml-syntax");
  EXPECT_EQ(d.pos.line, 2);    // yaml-cpp says line 1 (0-based)
  EXPECT_EQ(d.pos.column, 2);  // and column 1
  EXPECT_TRUE(root.isNull());
}

TEST(ConfigNode, DuplicateKeysAreReported) {
  Diagnostics diags;
  parseYaml("a: 1\nb: 2\na: 3\n", "f.yaml", diags);
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].code, "duplicate-key");
  EXPECT_EQ(diags.items()[0].pos.line, 3);
}

TEST(Diagnostics, SortIsByPositionAndStable) {
  Diagnostics d;
  d.error("b", {"f", 3, 1}, "third");
  d.warning("a", {"f", 1, 5}, "first");
  d.error("c", {"f", 3, 1}, "fourth");
  d.error("d", {"f", 2, 9}, "second");
  d.sort();
  std::vector<std::string> order;
  for (const auto& i : d.items()) order.push_back(i.message);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "second", "third", "fourth"}));
  EXPECT_TRUE(d.hasErrors());
  Diagnostics w;
  w.warning("x", {}, "w");
  EXPECT_FALSE(w.hasErrors());
}

}  // namespace
}  // namespace strata::config
