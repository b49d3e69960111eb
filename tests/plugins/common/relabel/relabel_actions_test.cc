// Every relabel action, table-driven: YAML rules as a user writes them (through the host's
// schema checker, so defaults are the real ones), an input label set, the expected output.
// Cases follow the examples of Prometheus' configuration docs and model/relabel tests.
#include <gtest/gtest.h>

#include "relabel/relabel_rule.h"
#include "yaml_config.h"

namespace strata::relabel {
namespace {

const strata_option_def kOpts[] = {
    sdk::object("relabel_configs", STRATA_OPT_OBJECT_LIST, "rules", kRuleOptions),
};

struct Case {
  const char* name;
  const char* yaml;
  LabelSet input;
  bool kept;
  LabelSet output;
};

std::vector<Rule> parse(const std::string& yaml) {
  testing::YamlConfig cfg("relabel_configs:\n" + yaml, kOpts);
  EXPECT_TRUE(cfg.ok()) << (cfg.errors().empty() ? "" : cfg.errors()[0]);
  std::vector<Problem> problems;
  auto rules = parseRules(cfg.view()["relabel_configs"], "relabel_configs", &problems);
  for (const auto& p : problems) ADD_FAILURE() << p.message;
  return rules;
}

const LabelSet kABC{{"a", "foo"}, {"b", "bar"}, {"c", "baz"}};

const Case kCases[] = {
    {"replace_template",
     "- {source_labels: [a], regex: 'f(.*)', target_label: d, "
     "replacement: 'ch${1}-ch${1}'}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "choo-choo"}}},
    {"replace_two_sources",
     "- {source_labels: [a, b], regex: 'f(.*);(.*)r', target_label: a, "
     "replacement: 'b${1}${2}m'}",
     kABC,
     true,
     {{"a", "boobam"}, {"b", "bar"}, {"c", "baz"}}},
    {"replace_dollar_n",
     "- {source_labels: [a], regex: 'f(.*)', target_label: d, "
     "replacement: 'ch$1-ch$1'}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "choo-choo"}}},
    {"replace_no_match_is_noop", "- {source_labels: [a], regex: 'no-match', target_label: d}", kABC,
     true, kABC},
    {"regex_is_anchored", "- {source_labels: [a], regex: 'o', target_label: d}", kABC, true, kABC},
    {"dollar_1x_names_group_1x",
     "- {source_labels: [a], regex: 'f(.*)', target_label: d, "
     "replacement: '$1x'}",
     kABC, true, kABC},
    {"empty_result_deletes_target",
     "- {source_labels: [a], regex: 'foo', target_label: b, "
     "replacement: ''}",
     kABC,
     true,
     {{"a", "foo"}, {"c", "baz"}}},
    {"defaults_copy_label",
     "- {source_labels: [a], target_label: copy}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"copy", "foo"}}},
    {"missing_source_is_empty",
     "- {source_labels: [x, a], separator: '-', target_label: j}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"j", "-foo"}}},
    {"target_label_template",
     "- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', "
     "target_label: '${1}', replacement: '${2}'}",
     {{"a", "some-name-value"}},
     true,
     {{"a", "some-name-value"}, {"name", "value"}}},
    {"invalid_expanded_target_deletes_literal",
     "- {source_labels: [a], regex: '(.*)', "
     "target_label: '${3}'}",
     kABC, true, kABC},
    {"named_groups",
     "- {source_labels: [a], regex: '(?P<first>f)(?P<rest>.*)', "
     "target_label: d, replacement: '$${rest}-$${first}'}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "oo-f"}}},
    {"double_dollar_is_literal",
     "- {source_labels: [a], target_label: d, replacement: '$$1'}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "$1"}}},
    {"drop_matching", "- {source_labels: [a], regex: '.*o.*', action: drop}", kABC, false, {}},
    {"drop_not_matching", "- {source_labels: [a], regex: 'f', action: drop}", kABC, true, kABC},
    {"keep_not_matching",
     "- {source_labels: [a], regex: 'no-match', action: keep}",
     kABC,
     false,
     {}},
    {"keep_matching", "- {source_labels: [a], regex: 'f.*', action: keep}", kABC, true, kABC},
    {"keep_joined", "- {source_labels: [a, b], regex: 'foo;bar', action: keep}", kABC, true, kABC},
    {"keepequal_equal",
     "- {source_labels: [a], target_label: x, action: keepequal}",
     {{"a", "foo"}, {"x", "foo"}},
     true,
     {{"a", "foo"}, {"x", "foo"}}},
    {"keepequal_different",
     "- {source_labels: [a], target_label: b, action: keepequal}",
     kABC,
     false,
     {}},
    {"dropequal_equal",
     "- {source_labels: [a], target_label: x, action: dropequal}",
     {{"a", "foo"}, {"x", "foo"}},
     false,
     {}},
    {"dropequal_different", "- {source_labels: [a], target_label: b, action: dropequal}", kABC,
     true, kABC},
    {"hashmod",
     "- {source_labels: [c], target_label: d, modulus: 1000, action: hashmod}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"d", "976"}}},
    {"labelmap_docs",
     "- {regex: '__meta_kubernetes_node_label_(.+)', action: labelmap}",
     {{"__meta_kubernetes_node_label_zone", "z1"}, {"a", "foo"}},
     true,
     {{"__meta_kubernetes_node_label_zone", "z1"}, {"a", "foo"}, {"zone", "z1"}}},
    {"labelmap_replacement",
     "- {regex: '(b.*)', replacement: 'new_$${1}', action: LabelMap}",
     kABC,
     true,
     {{"a", "foo"}, {"b", "bar"}, {"c", "baz"}, {"new_b", "bar"}}},
    {"labeldrop", "- {regex: '(b|c)', action: labeldrop}", kABC, true, {{"a", "foo"}}},
    {"labelkeep",
     "- {regex: '(b|c)', action: labelkeep}",
     kABC,
     true,
     {{"b", "bar"}, {"c", "baz"}}},
    {"lowercase",
     "- {source_labels: [foo], target_label: foo_lower, action: lowercase}",
     {{"foo", "bAr123Foo"}},
     true,
     {{"foo", "bAr123Foo"}, {"foo_lower", "bar123foo"}}},
    {"uppercase",
     "- {source_labels: [foo], target_label: foo_upper, action: Uppercase}",
     {{"foo", "bAr123Foo"}},
     true,
     {{"foo", "bAr123Foo"}, {"foo_upper", "BAR123FOO"}}},
    {"chain_sees_previous_output",
     "- {source_labels: [a], target_label: x, replacement: 'bar'}\n"
     "- {source_labels: [x], regex: 'bar', action: drop}",
     kABC,
     false,
     {}},
    {"address_rewrite_docs",
     "- {source_labels: [__address__], regex: '([^:]+)(?::\\d+)?', target_label: __address__, "
     "replacement: '$${1}:9100'}",
     {{"__address__", "10.0.0.1:8080"}},
     true,
     {{"__address__", "10.0.0.1:9100"}}},
};

class RelabelActionTest : public ::testing::TestWithParam<Case> {};

TEST_P(RelabelActionTest, ProducesPrometheusOutput) {
  const Case& c = GetParam();
  auto rules = parse(c.yaml);
  LabelSet ls = c.input;
  bool kept = process(rules, ls);
  ASSERT_EQ(kept, c.kept) << ls.toString();
  if (kept) {
    EXPECT_EQ(ls.toString(), c.output.toString());
  }
}

INSTANTIATE_TEST_SUITE_P(Actions, RelabelActionTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace strata::relabel
