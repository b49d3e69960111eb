#include "core/config/schema_check.h"

#include <gtest/gtest.h>

#include <string_view>

namespace strata::config {
namespace {

constexpr strata_option_def opt(const char* name, uint32_t type, const char* def,
                                uint32_t flags = 0, const strata_option_def* children = nullptr,
                                size_t n = 0) {
  return {sizeof(strata_option_def), name, type, flags, def, "doc", children, n};
}

const strata_option_def kQueue[] = {opt("capacity", STRATA_OPT_INT, "100"),
                                    opt("path", STRATA_OPT_STRING, nullptr, STRATA_OPTF_REQUIRED)};
const strata_option_def kRule[] = {opt("name", STRATA_OPT_STRING, nullptr, STRATA_OPTF_REQUIRED),
                                   opt("up", STRATA_OPT_STRING, nullptr, STRATA_OPTF_QUERY_REF)};
const strata_option_def kOptions[] = {
    opt("listen", STRATA_OPT_STRING, "0.0.0.0:9000", STRATA_OPTF_LISTEN_ADDRESS),
    opt("interval", STRATA_OPT_DURATION, "15s"),
    opt("ratio", STRATA_OPT_FLOAT, "0.5"),
    opt("on", STRATA_OPT_BOOL, "true"),
    opt("tags", STRATA_OPT_STRING_LIST, nullptr),
    opt("labels", STRATA_OPT_STRING_MAP, nullptr),
    opt("queue", STRATA_OPT_OBJECT, nullptr, 0, kQueue, 2),
    opt("rules", STRATA_OPT_OBJECT_LIST, nullptr, 0, kRule, 2),
    opt("extra", STRATA_OPT_ANY, nullptr),
};

struct Checked {
  Diagnostics diags;
  SchemaResult result;
  ConfigNode node;
};

Checked check(const std::string& yaml) {
  Checked c;
  c.node = parseYaml(yaml, "c.yaml", c.diags);
  c.result = checkOptions(&c.node, kOptions, std::size(kOptions), "receiver 'x'", {"c.yaml", 1, 1},
                          c.diags);
  c.diags.sort();  // the checker reports in schema order; compare in file order
  return c;
}

const strata_value* member(const strata_value* map, std::string_view key) {
  for (size_t i = 0; i < map->count; ++i) {
    if (std::string_view(map->keys[i].data, map->keys[i].len) == key) return &map->items[i];
  }
  return nullptr;
}

std::vector<std::string> codes(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& i : d.items()) out.push_back(i.code);
  return out;
}

TEST(SchemaCheck, FillsDefaultsAndConvertsTypes) {
  Checked c = check("queue: {path: /q}\ninterval: 1m30s\nlabels: {a: b}\n");
  ASSERT_FALSE(c.diags.hasErrors()) << c.diags.items()[0].message;
  ASSERT_TRUE(c.result.tree);
  const strata_value* root = c.result.tree->root();
  EXPECT_EQ(member(root, "interval")->int_value, 90000);
  EXPECT_EQ(member(root, "interval")->line, 2);
  EXPECT_EQ(member(root, "ratio")->kind, STRATA_VALUE_FLOAT);
  EXPECT_DOUBLE_EQ(member(root, "ratio")->float_value, 0.5);
  EXPECT_EQ(member(root, "ratio")->line, 0);  // defaulted
  EXPECT_EQ(member(root, "on")->int_value, 1);
  EXPECT_EQ(member(root, "tags")->kind, STRATA_VALUE_LIST);
  EXPECT_EQ(member(root, "tags")->count, 0u);
  EXPECT_EQ(member(member(root, "queue"), "capacity")->int_value, 100);
  EXPECT_EQ(member(root, "extra")->kind, STRATA_VALUE_NULL);
  ASSERT_EQ(c.result.listen_addresses.size(), 1u);
  EXPECT_EQ(c.result.listen_addresses[0].value, "0.0.0.0:9000");
  EXPECT_EQ(c.result.listen_addresses[0].pos.line, 1);  // defaulted: the component's anchor
}

TEST(SchemaCheck, CanonicalTextIgnoresSpellingAndKeyOrder) {
  Checked a = check("interval: 60s\nlabels: {b: '2', a: '1'}\nqueue: {path: p}\n");
  Checked b = check("queue: {path: p}\nlabels: {a: '1', b: '2'}\ninterval: 1m\n");
  Checked other = check("queue: {path: p}\ninterval: 2m\n");
  ASSERT_TRUE(a.result.tree && b.result.tree && other.result.tree);
  EXPECT_EQ(a.result.tree->canonical(), b.result.tree->canonical());
  EXPECT_NE(a.result.tree->canonical(), other.result.tree->canonical());
}

TEST(SchemaCheck, ReportsEveryProblemWithItsPosition) {
  Checked c = check(
      "intervall: 5s\n"         // unknown, did-you-mean
      "ratio: '0.5'\n"          // quoted: a string, not a number
      "on: maybe\n"             // not a bool
      "tags: one\n"             // not a list
      "queue: {capacity: x}\n"  // wrong nested type + missing required path
      "rules: [{up: q}, 3]\n"   // missing name in item 0, item 1 not a map
      "interval: soon\n");      // bad duration
  EXPECT_EQ(codes(c.diags),
            (std::vector<std::string>{"unknown-option", "wrong-type", "wrong-type", "wrong-type",
                                      "missing-required", "wrong-type", "missing-required",
                                      "wrong-type", "bad-duration"}));
  EXPECT_FALSE(c.result.tree);
  const Diagnostic& unknown = c.diags.items()[0];
  EXPECT_EQ(unknown.hint.rfind("did you mean 'interval'?", 0), 0u) << unknown.hint;
  EXPECT_NE(unknown.hint.find("allowed: listen, interval"), std::string::npos);
  const Diagnostic& nested = c.diags.items()[5];
  EXPECT_EQ(nested.pos.line, 5);
  EXPECT_EQ(nested.pos.column, 19);
  EXPECT_NE(nested.message.find("'queue.capacity'"), std::string::npos);
  EXPECT_NE(c.diags.items()[6].message.find("'rules.0.name'"), std::string::npos);
}

TEST(SchemaCheck, CollectsQueryRefsFromNestedObjects) {
  Checked c = check("queue: {path: p}\nrules: [{name: a, up: store/x}]\n");
  ASSERT_FALSE(c.diags.hasErrors());
  ASSERT_EQ(c.result.query_refs.size(), 1u);
  EXPECT_EQ(c.result.query_refs[0].option, "rules.0.up");
  EXPECT_EQ(c.result.query_refs[0].value, "store/x");
  EXPECT_EQ(c.result.query_refs[0].pos.line, 2);
}

TEST(SchemaCheck, NoOptionsGivenMeansAllDefaults) {
  const strata_option_def only[] = {opt("n", STRATA_OPT_INT, "7")};
  Diagnostics d;
  SchemaResult r = checkOptions(nullptr, only, 1, "s", {"f", 1, 1}, d);
  ASSERT_TRUE(r.tree);
  EXPECT_EQ(r.tree->canonical(), "{\"n\":7}");
}

TEST(SchemaCheck, InvalidPluginDefaultIsReported) {
  const strata_option_def bad[] = {opt("d", STRATA_OPT_DURATION, "soon")};
  Diagnostics d;
  checkOptions(nullptr, bad, 1, "s", {"f", 4, 2}, d);
  ASSERT_EQ(codes(d), std::vector<std::string>{"bad-default"});
  EXPECT_EQ(d.items()[0].pos.line, 4);
}

void validateHook(const strata_value* config, strata_diag_sink* sink) {
  if (member(config, "n")->int_value > 5) sink->report(sink, "n", "too big");
  sink->report(sink, "list.1", "second item");
  sink->report(sink, "map.a.b", "dotted key");
  sink->report(sink, "", "whole component");
}

TEST(SchemaCheck, ValidateHookPathsMapBackToPositions) {
  const strata_option_def defs[] = {opt("n", STRATA_OPT_INT, "1"),
                                    opt("list", STRATA_OPT_STRING_LIST, nullptr),
                                    opt("map", STRATA_OPT_STRING_MAP, nullptr)};
  strata_component_vtable vt{};
  vt.struct_size = sizeof vt;
  vt.validate = &validateHook;
  strata_component_def def{};
  def.struct_size = sizeof def;
  def.options = defs;
  def.option_count = 3;
  def.vtable = &vt;
  Diagnostics d;
  ConfigNode node = parseYaml("n: 9\nlist: [a, b]\nmap: {a.b: c}\n", "v.yaml", d);
  SchemaResult r = checkComponent(&node, def, "receiver 'v'", {"v.yaml", 10, 3}, d);
  EXPECT_FALSE(r.tree);
  ASSERT_EQ(d.items().size(), 4u);
  EXPECT_EQ(d.items()[0].code, "plugin-validate");
  EXPECT_EQ(d.items()[0].message, "receiver 'v': option 'n': too big");
  EXPECT_EQ(d.items()[0].pos.line, 1);
  EXPECT_EQ(d.items()[0].pos.column, 4);
  EXPECT_EQ(d.items()[1].pos.line, 2);
  EXPECT_EQ(d.items()[1].pos.column, 11);
  EXPECT_EQ(d.items()[2].pos.line, 3);
  EXPECT_EQ(d.items()[2].pos.column, 12);
  EXPECT_EQ(d.items()[3].pos.line, 10);  // no path: the component's id
}

TEST(SchemaCheck, PositionOfPathStopsAtTheDeepestExistingNode) {
  Diagnostics d;
  ConfigNode node = parseYaml("a:\n  b: [x, y]\n", "p.yaml", d);
  SourcePos fallback{"p.yaml", 9, 9};
  EXPECT_EQ(positionOfPath(&node, "a.b.1", fallback).column, 10);
  EXPECT_EQ(positionOfPath(&node, "a.zzz", fallback).line, 2);
  EXPECT_EQ(positionOfPath(&node, "", fallback).line, 9);
}

}  // namespace
}  // namespace strata::config
