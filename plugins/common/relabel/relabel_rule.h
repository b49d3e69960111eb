// One Prometheus relabel_config: parsed from the SDK config tree, validated exactly as
// Prometheus 2.42 validates it (config/relabel UnmarshalYAML), and applied by process().
//
// Defaults as in Prometheus: separator ";", regex "(.*)" (anchored: ^(?:regex)$), replacement
// "$1", action replace. Actions are case-insensitive in the file.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "relabel/label_set.h"

namespace strata::relabel {

enum class Action {
  kReplace,
  kKeep,
  kDrop,
  kKeepEqual,
  kDropEqual,
  kHashMod,
  kLabelMap,
  kLabelDrop,
  kLabelKeep,
  kLowercase,
  kUppercase,
};

struct Rule {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex_text = "(.*)";
  std::shared_ptr<const re2::RE2> regex;  // anchored; shared: rules are copied per target
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  Action action = Action::kReplace;
};

// A problem found while parsing: `path` is the dotted option path ("relabel_configs.2.regex"),
// `message` says what is wrong without repeating the path (lint prints both).
struct Problem {
  std::string path, message;
  std::string text() const { return path.empty() ? message : path + ": " + message; }
};

// The option schema of one relabel_config, for OBJECT_LIST options in plugin descriptors.
inline constexpr strata_option_def kRuleOptions[] = {
    sdk::option("source_labels", STRATA_OPT_STRING_LIST, nullptr,
                "Labels whose values are joined with `separator` and matched by `regex`."),
    sdk::option("separator", STRATA_OPT_STRING, ";", "Joins the source label values."),
    sdk::option("regex", STRATA_OPT_STRING, "(.*)", "RE2 regex, anchored at both ends."),
    sdk::option("modulus", STRATA_OPT_INT, "0", "Modulus for hashmod."),
    sdk::option("target_label", STRATA_OPT_STRING, nullptr,
                "Label written by replace, hashmod, lowercase, uppercase; compared by "
                "keepequal/dropequal."),
    sdk::option("replacement", STRATA_OPT_STRING, "$1",
                "Replace/labelmap template: $1, ${1}, ${name}; $$ for a literal $."),
    sdk::option("action", STRATA_OPT_STRING, "replace",
                "replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, "
                "labelkeep, lowercase, uppercase."),
};

// Compiles `re` the way Prometheus does (^(?:re)$); null and `error` set when invalid.
std::shared_ptr<const re2::RE2> compileAnchored(const std::string& re, std::string* error);

// Parses one rule from a map view. Problems get `path_prefix` + option name as their path.
Rule parseRule(const sdk::ConfigView& rule, const std::string& path_prefix,
               std::vector<Problem>* problems);

// Parses a list of rules (an OBJECT_LIST option value) at `path` ("relabel_configs").
std::vector<Rule> parseRules(const sdk::ConfigView& list, const std::string& path,
                             std::vector<Problem>* problems);

// Applies the rules in order to `labels`. Returns false when a keep/drop-style rule dropped the
// set (then `labels` is unspecified). Each rule sees the output of the previous one.
bool process(const std::vector<Rule>& rules, LabelSet& labels);

// Parses the action name (case-insensitive); false when unknown.
bool parseAction(std::string_view name, Action* out);
const char* actionName(Action a);

}  // namespace strata::relabel
