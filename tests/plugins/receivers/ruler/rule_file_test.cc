// Rule files: what promtool check rules (2.42) accepts and rejects, with positions.
#include "rule_file.h"

#include <gtest/gtest.h>

namespace strata::ruler {
namespace {

std::string firstError(const std::string& text) {
  ParseResult r = parseRules(text, "f.yml");
  return r.errors.empty() ? "" : r.errors.front();
}

TEST(RuleFile, ParsesGroupsAndRules) {
  ParseResult r = parseRules(R"(groups:
  - name: g
    interval: 30s
    limit: 5
    rules:
      - record: job:x:sum
        expr: sum by (job) (x)
        labels: {a: b}
      - alert: Down
        expr: up == 0
        for: 1m
        annotations: {summary: "{{ $labels.instance }}"}
)",
                             "f.yml");
  ASSERT_TRUE(r.errors.empty()) << r.errors.front();
  ASSERT_EQ(r.groups.size(), 1u);
  EXPECT_EQ(r.groups[0].interval_ms, 30000);
  EXPECT_EQ(r.groups[0].limit, 5);
  ASSERT_EQ(r.groups[0].rules.size(), 2u);
  EXPECT_EQ(r.groups[0].rules[0].record, "job:x:sum");
  EXPECT_EQ(r.groups[0].rules[1].for_ms, 60000);
  EXPECT_EQ(r.groups[0].rules[1].line, 9);
}

TEST(RuleFile, UnknownFieldWithPosition) {
  EXPECT_EQ(firstError("groups:\n  - name: g\n    rules:\n      - record: x\n        expr: y\n"
                       "        bogus: 1\n"),
            "f.yml:6:9: field bogus not found in type rulefmt.RuleNode");
  EXPECT_EQ(firstError("groups:\n  - name: g\n    evaluation: 1m\n"),
            "f.yml:3:5: field evaluation not found in type rulefmt.RuleGroup");
}

TEST(RuleFile, DuplicateGroupName) {
  EXPECT_EQ(firstError("groups:\n  - name: g\n  - name: g\n"),
            "f.yml:3:11: groupname: \"g\" is repeated in the same file");
}

TEST(RuleFile, RecordAndAlertBothSet) {
  EXPECT_EQ(firstError("groups:\n- name: g\n  rules:\n  - record: a\n    alert: b\n    expr: x\n"),
            "f.yml:4:13: only one of 'record' and 'alert' must be set");
}

TEST(RuleFile, InvalidRecordName) {
  EXPECT_EQ(firstError("groups:\n- name: g\n  rules:\n  - record: 1abc\n    expr: x\n"),
            "f.yml:4:13: invalid recording rule name: 1abc");
}

TEST(RuleFile, BadExpressionHasPositionAndParserMessage) {
  std::string e = firstError("groups:\n- name: g\n  rules:\n  - record: a\n    expr: sum(\n");
  EXPECT_EQ(e.rfind("f.yml:5:11: could not parse expression: ", 0), 0u) << e;
}

TEST(RuleFile, ForInRecordingRule) {
  EXPECT_EQ(firstError("groups:\n- name: g\n  rules:\n  - record: a\n    expr: x\n    for: 1m\n"),
            "f.yml:6:10: invalid field 'for' in recording rule");
}

TEST(RuleFile, BadTemplateInAlert) {
  std::string e = firstError(
      "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x\n    annotations:\n"
      "      s: '{{ nosuch $value }}'\n");
  EXPECT_NE(e.find("function \"nosuch\" not defined"), std::string::npos) << e;
}

TEST(RuleFile, KeepFiringForAcceptedWithWarning) {
  ParseResult r = parseRules(
      "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x\n    keep_firing_for: 5m\n",
      "f.yml");
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.groups[0].rules[0].keep_firing_for_ms, 300000);
}

TEST(RuleFile, YamlSyntaxErrorHasPosition) {
  std::string e = firstError("groups:\n  - name: [\n");
  EXPECT_EQ(e.rfind("f.yml:", 0), 0u) << e;
}

}  // namespace
}  // namespace strata::ruler
