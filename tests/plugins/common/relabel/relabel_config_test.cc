// Parsing and validation of relabel_configs: defaults, and each error Prometheus 2.42 raises,
// reported at its option path.
#include <gtest/gtest.h>

#include "relabel/relabel_rule.h"
#include "yaml_config.h"

namespace strata::relabel {
namespace {

const strata_option_def kOpts[] = {
    sdk::object("relabel_configs", STRATA_OPT_OBJECT_LIST, "rules", kRuleOptions),
};

std::vector<Problem> problemsOf(const std::string& rule_yaml) {
  testing::YamlConfig cfg("relabel_configs:\n- " + rule_yaml, kOpts);
  EXPECT_TRUE(cfg.ok());
  std::vector<Problem> problems;
  parseRules(cfg.view()["relabel_configs"], "relabel_configs", &problems);
  return problems;
}

TEST(RelabelConfigTest, DefaultsAreOfPrometheus) {
  testing::YamlConfig cfg("relabel_configs:\n- {target_label: x}", kOpts);
  ASSERT_TRUE(cfg.ok());
  std::vector<Problem> problems;
  auto rules = parseRules(cfg.view()["relabel_configs"], "relabel_configs", &problems);
  ASSERT_TRUE(problems.empty());
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].separator, ";");
  EXPECT_EQ(rules[0].regex_text, "(.*)");
  EXPECT_EQ(rules[0].replacement, "$1");
  EXPECT_EQ(rules[0].action, Action::kReplace);
  EXPECT_EQ(rules[0].modulus, 0u);
  ASSERT_NE(rules[0].regex, nullptr);
  EXPECT_EQ(rules[0].regex->pattern(), "^(?:(.*))$");
}

struct BadCase {
  const char* rule;
  const char* path;
  const char* message_part;
};

const BadCase kBad[] = {
    {"{action: hashmod, target_label: x}", "relabel_configs.0.modulus", "non-zero modulus"},
    {"{action: replace, source_labels: [a]}", "relabel_configs.0.target_label",
     "requires 'target_label'"},
    {"{action: lowercase, source_labels: [a]}", "relabel_configs.0.target_label",
     "requires 'target_label'"},
    {"{action: uppercase, source_labels: [a], target_label: '1bad'}",
     "relabel_configs.0.target_label", "invalid 'target_label'"},
    {"{action: replace, source_labels: [a], target_label: 'a-b'}", "relabel_configs.0.target_label",
     "invalid 'target_label'"},
    {"{regex: '(unclosed', target_label: x}", "relabel_configs.0.regex", "invalid regex"},
    {"{action: explode}", "relabel_configs.0.action", "unknown relabel action"},
    {"{action: ''}", "relabel_configs.0.action", "cannot be empty"},
    {"{action: labeldrop, source_labels: [a], regex: x}", "relabel_configs.0.action",
     "requires only 'regex'"},
    {"{action: labelkeep, replacement: 'y', regex: x}", "relabel_configs.0.action",
     "requires only 'regex'"},
    {"{action: keepequal, source_labels: [a], target_label: b, regex: 'x'}",
     "relabel_configs.0.action", "requires only 'source_labels'"},
    {"{source_labels: ['not-a-label'], target_label: b}", "relabel_configs.0.source_labels.0",
     "not a valid label name"},
    {"{action: hashmod, target_label: x, modulus: -1}", "relabel_configs.0.modulus", "negative"},
};

class RelabelConfigErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(RelabelConfigErrorTest, ReportsAtPath) {
  const BadCase& c = GetParam();
  auto problems = problemsOf(c.rule);
  ASSERT_FALSE(problems.empty()) << c.rule;
  EXPECT_EQ(problems[0].path, c.path);
  EXPECT_NE(problems[0].message.find(c.message_part), std::string::npos) << problems[0].message;
}

INSTANTIATE_TEST_SUITE_P(Errors, RelabelConfigErrorTest, ::testing::ValuesIn(kBad));

TEST(RelabelConfigTest, ValidRulesHaveNoProblems) {
  for (const char* ok : {"{action: labeldrop, regex: 'a|b'}",
                         "{action: keepequal, source_labels: [a], target_label: b}",
                         "{action: hashmod, source_labels: [a], target_label: h, modulus: 3}",
                         "{action: Keep, source_labels: [a], regex: 'x.*'}",
                         "{source_labels: [a], target_label: '${1}_x', regex: '(.*)'}"}) {
    EXPECT_TRUE(problemsOf(ok).empty()) << ok;
  }
}

TEST(RelabelConfigTest, UnknownOptionIsASchemaError) {
  testing::YamlConfig cfg("relabel_configs:\n- {target_labels: x}", kOpts);
  EXPECT_FALSE(cfg.ok());
}

}  // namespace
}  // namespace strata::relabel
