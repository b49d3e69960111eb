// Prometheus rule files (rulefmt as of Prometheus 2.42): groups of recording and alerting
// rules, read with yaml-cpp and checked as `promtool check rules` checks them, every problem
// as "file:line:col: message".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace strata::ruler {

using LabelList = std::vector<std::pair<std::string, std::string>>;  // file order

struct Rule {
  std::string record, alert, expr;  // exactly one of record/alert is set
  int64_t for_ms = 0, keep_firing_for_ms = 0;
  LabelList labels, annotations;
  int line = 0, column = 0;
  bool isAlert() const { return !alert.empty(); }
  const std::string& name() const { return isAlert() ? alert : record; }
};

struct Group {
  std::string name, file;
  int64_t interval_ms = 0;  // 0: the ruler's evaluation_interval
  int64_t limit = 0;        // 0: no limit
  std::vector<Rule> rules;
  int line = 0, column = 0;
};

struct ParseResult {
  std::vector<Group> groups;
  std::vector<std::string> errors;    // "file:line:col: message"
  std::vector<std::string> warnings;  // accepted, but promtool 2.42 rejects it
};

// Parses `text` as the rule file `file` (the name only goes into messages and Group::file).
ParseResult parseRules(const std::string& text, const std::string& file);
// Reads and parses a file; an unreadable file is one error.
ParseResult parseRuleFile(const std::string& path);

// Prometheus' model.IsValidMetricName / LabelName.IsValid.
bool validMetricName(const std::string& s);
bool validLabelName(const std::string& s);

}  // namespace strata::ruler
