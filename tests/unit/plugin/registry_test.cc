#include "core/plugin/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace strata::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ComponentType make(strata_kind kind, const std::string& type, const std::string& path) {
  ComponentType c;
  c.kind = kind;
  c.type = type;
  c.path = path;
  c.plugin_version = "1.2.3";
  return c;
}

TEST(Registry, AddFindAndTypesOf) {
  Registry r;
  EXPECT_THAT(r.add({make(STRATA_KIND_RECEIVER, "gen", "/a.so"),
                     make(STRATA_KIND_EXPORTER, "gen", "/a.so")}),
              IsEmpty());
  ASSERT_NE(r.find(STRATA_KIND_RECEIVER, "gen"), nullptr);
  EXPECT_EQ(r.find(STRATA_KIND_RECEIVER, "gen")->path, "/a.so");
  EXPECT_EQ(r.find(STRATA_KIND_PROCESSOR, "gen"), nullptr);
  EXPECT_THAT(r.typesOf(STRATA_KIND_EXPORTER), ElementsAre("gen"));
}

TEST(Registry, DuplicateNamesBothFilesAndAddsNothing) {
  Registry r;
  ASSERT_THAT(r.add({make(STRATA_KIND_PROCESSOR, "dup", "/a.so")}), IsEmpty());
  EXPECT_THAT(r.add({make(STRATA_KIND_PROCESSOR, "fresh", "/b.so"),
                     make(STRATA_KIND_PROCESSOR, "dup", "/b.so")}),
              ElementsAre("/b.so: refused: duplicate processor type 'dup' (already loaded from "
                          "/a.so, got it again from /b.so)"));
  EXPECT_EQ(r.find(STRATA_KIND_PROCESSOR, "fresh"), nullptr);
  EXPECT_EQ(r.find(STRATA_KIND_PROCESSOR, "dup")->path, "/a.so");
}

TEST(Registry, DuplicateInsideOnePlugin) {
  Registry r;
  EXPECT_THAT(
      r.add({make(STRATA_KIND_STORAGE, "s", "/c.so"), make(STRATA_KIND_STORAGE, "s", "/c.so")}),
      ElementsAre("/c.so: refused: duplicate storage type 's' (declared twice in /c.so)"));
  EXPECT_TRUE(r.all().empty());
}

TEST(Registry, KindNames) {
  EXPECT_EQ(kindName(STRATA_KIND_SERVICE), "service");
  EXPECT_EQ(kindSection(STRATA_KIND_SERVICE), "services");
  EXPECT_EQ(kindSection(STRATA_KIND_STORAGE), "storage");
  EXPECT_EQ(kindSection(STRATA_KIND_RECEIVER), "receivers");
}

TEST(Registry, Describe) {
  strata_component_def def{};
  def.stability = "beta";
  def.inputs = STRATA_EDGE_METRICS;
  def.provides = STRATA_EDGE_QUERY | STRATA_EDGE_BLOCKS;
  auto c = make(STRATA_KIND_STORAGE, "block_store", "/p/block_store.so");
  c.def = &def;
  Registry r;
  ASSERT_THAT(r.add({c}), IsEmpty());
  std::string text = describeRegistry(r);
  EXPECT_THAT(text, HasSubstr("KIND"));
  EXPECT_THAT(text, HasSubstr("storage  block_store  1.2.3    beta       metrics  -        "
                              "blocks,query  /p/block_store.so"));
  EXPECT_EQ(edgeNames(0), "-");
  EXPECT_THAT(describeRegistry(Registry()), HasSubstr("(no plugins loaded)"));
}

}  // namespace
}  // namespace strata::plugin
