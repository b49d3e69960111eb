#include "relabel/relabel_rule.h"

#include <algorithm>
#include <cctype>

namespace strata::relabel {
namespace {

struct ActionName {
  const char* name;
  Action action;
};
constexpr ActionName kActions[] = {
    {"replace", Action::kReplace},     {"keep", Action::kKeep},
    {"drop", Action::kDrop},           {"keepequal", Action::kKeepEqual},
    {"dropequal", Action::kDropEqual}, {"hashmod", Action::kHashMod},
    {"labelmap", Action::kLabelMap},   {"labeldrop", Action::kLabelDrop},
    {"labelkeep", Action::kLabelKeep}, {"lowercase", Action::kLowercase},
    {"uppercase", Action::kUppercase},
};

// Prometheus' relabelTarget: a label name that may contain $1 / ${name} references.
bool isValidTargetTemplate(const std::string& t) {
  static const re2::RE2 re(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return re2::RE2::FullMatch(t, re);
}

bool oneOf(Action a, std::initializer_list<Action> set) {
  return std::find(set.begin(), set.end(), a) != set.end();
}

// The cross-field rules of Prometheus' Config.UnmarshalYAML, in its order.
void checkRule(const Rule& r, bool has_source_labels, const std::string& p,
               std::vector<Problem>* problems) {
  auto bad = [&](const std::string& opt, const std::string& msg) {
    problems->push_back({p + opt, msg});
  };
  const char* an = actionName(r.action);
  if (r.action == Action::kHashMod && r.modulus == 0)
    bad("modulus", "relabel configuration for hashmod requires non-zero modulus");
  bool needs_target = oneOf(r.action, {Action::kReplace, Action::kHashMod, Action::kLowercase,
                                       Action::kUppercase, Action::kKeepEqual, Action::kDropEqual});
  if (needs_target && r.target_label.empty()) {
    bad("target_label",
        std::string("relabel configuration for ") + an + " action requires 'target_label' value");
    return;
  }
  if (r.action == Action::kReplace && !isValidTargetTemplate(r.target_label))
    bad("target_label", "\"" + r.target_label + "\" is invalid 'target_label' for " + an);
  if (oneOf(r.action, {Action::kLowercase, Action::kUppercase, Action::kKeepEqual,
                       Action::kDropEqual, Action::kHashMod}) &&
      !isValidLabelName(r.target_label))
    bad("target_label", "\"" + r.target_label + "\" is invalid 'target_label' for " + an);
  bool default_rest =
      r.regex_text == "(.*)" && r.modulus == 0 && r.separator == ";" && r.replacement == "$1";
  if (oneOf(r.action, {Action::kKeepEqual, Action::kDropEqual}) && !default_rest)
    bad("action", std::string(an) +
                      " action requires only 'source_labels' and `target_label`, and no other "
                      "fields");
  if (oneOf(r.action, {Action::kLabelDrop, Action::kLabelKeep}) &&
      (has_source_labels || !r.target_label.empty() || r.modulus != 0 || r.separator != ";" ||
       r.replacement != "$1"))
    bad("action", std::string(an) + " action requires only 'regex', and no other fields");
}

}  // namespace

bool parseAction(std::string_view name, Action* out) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto& a : kActions) {
    if (lower == a.name) {
      *out = a.action;
      return true;
    }
  }
  return false;
}

const char* actionName(Action a) {
  for (const auto& n : kActions)
    if (n.action == a) return n.name;
  return "?";
}

std::shared_ptr<const re2::RE2> compileAnchored(const std::string& re, std::string* error) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  auto compiled = std::make_shared<re2::RE2>("^(?:" + re + ")$", opts);
  if (!compiled->ok()) {
    if (error) *error = compiled->error();
    return nullptr;
  }
  return compiled;
}

Rule parseRule(const sdk::ConfigView& v, const std::string& p, std::vector<Problem>* problems) {
  Rule r;
  auto bad = [&](const std::string& opt, const std::string& msg) {
    problems->push_back({p + opt, msg});
  };
  bool has_source = v["source_labels"].present() && v["source_labels"].size() > 0;
  r.source_labels = v["source_labels"].asStringList();
  for (size_t i = 0; i < r.source_labels.size(); ++i) {
    if (!isValidLabelName(r.source_labels[i]))
      bad("source_labels." + std::to_string(i),
          "\"" + r.source_labels[i] + "\" is not a valid label name");
  }
  r.separator = v["separator"].asString(";");
  r.regex_text = v["regex"].asString("(.*)");
  r.target_label = v["target_label"].asString("");
  r.replacement = v["replacement"].asString("$1");
  int64_t modulus = v["modulus"].asInt(0);
  if (modulus < 0) bad("modulus", "must not be negative");
  r.modulus = modulus < 0 ? 0 : static_cast<uint64_t>(modulus);
  std::string action = v["action"].asString("replace");
  if (action.empty()) {
    bad("action", "relabel action cannot be empty");
    return r;
  }
  if (!parseAction(action, &r.action)) {
    bad("action", "unknown relabel action \"" + action + "\"");
    return r;
  }
  std::string error;
  r.regex = compileAnchored(r.regex_text, &error);
  if (!r.regex) bad("regex", "invalid regex \"" + r.regex_text + "\": " + error);
  checkRule(r, has_source, p, problems);
  return r;
}

std::vector<Rule> parseRules(const sdk::ConfigView& list, const std::string& path,
                             std::vector<Problem>* problems) {
  std::vector<Rule> rules;
  for (size_t i = 0; i < list.size(); ++i)
    rules.push_back(parseRule(list.at(i), path + "." + std::to_string(i) + ".", problems));
  return rules;
}

}  // namespace strata::relabel
