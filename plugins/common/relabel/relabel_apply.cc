// process(): Prometheus' relabel.Process, action by action (model/relabel/relabel.go).
#include <algorithm>
#include <cctype>

#include "relabel/expand.h"
#include "relabel/relabel_rule.h"

namespace strata::relabel {

uint64_t hashMod(std::string_view value, uint64_t modulus);  // hashmod.cc

namespace {

std::string joinSources(const Rule& r, const LabelSet& ls) {
  std::string val;
  for (size_t i = 0; i < r.source_labels.size(); ++i) {
    if (i) val += r.separator;
    val += ls.get(r.source_labels[i]);
  }
  return val;
}

bool matches(const Rule& r, std::string_view s) { return re2::RE2::FullMatch(s, *r.regex); }

void replace(const Rule& r, const std::string& val, LabelSet& ls) {
  int n = r.regex->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n));
  if (!r.regex->Match(val, 0, val.size(), re2::RE2::ANCHOR_BOTH, groups.data(), n)) return;
  std::string target, res;
  expandTemplate(*r.regex, r.target_label, groups.data(), n, target);
  if (!isValidLabelName(target)) {
    ls.del(r.target_label);
    return;
  }
  expandTemplate(*r.regex, r.replacement, groups.data(), n, res);
  ls.set(target, res);  // an empty result deletes the target
}

void labelMap(const Rule& r, LabelSet& ls) {
  LabelSet snapshot = ls;  // Prometheus ranges over the rule's input, writes to a builder
  int n = r.regex->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(n));
  for (const Label& l : snapshot.labels()) {
    if (!r.regex->Match(l.name, 0, l.name.size(), re2::RE2::ANCHOR_BOTH, groups.data(), n))
      continue;
    std::string name;
    expandTemplate(*r.regex, r.replacement, groups.data(), n, name);
    ls.set(name, l.value);
  }
}

std::string mapCase(std::string s, bool upper) {
  std::transform(s.begin(), s.end(), s.begin(), [upper](unsigned char c) {
    return static_cast<char>(upper ? std::toupper(c) : std::tolower(c));
  });
  return s;
}

bool applyOne(const Rule& r, LabelSet& ls) {
  std::string val = joinSources(r, ls);
  switch (r.action) {
    case Action::kDrop:
      return !matches(r, val);
    case Action::kKeep:
      return matches(r, val);
    case Action::kDropEqual:
      return ls.get(r.target_label) != val;
    case Action::kKeepEqual:
      return ls.get(r.target_label) == val;
    case Action::kReplace:
      replace(r, val, ls);
      return true;
    case Action::kLowercase:
    case Action::kUppercase:
      ls.set(r.target_label, mapCase(val, r.action == Action::kUppercase));
      return true;
    case Action::kHashMod:
      ls.set(r.target_label, std::to_string(hashMod(val, r.modulus)));
      return true;
    case Action::kLabelMap:
      labelMap(r, ls);
      return true;
    case Action::kLabelDrop:
    case Action::kLabelKeep: {
      bool keep_matching = r.action == Action::kLabelKeep;
      std::vector<std::string> gone;
      for (const Label& l : ls.labels())
        if (matches(r, l.name) != keep_matching) gone.push_back(l.name);
      for (const auto& g : gone) ls.del(g);
      return true;
    }
  }
  return true;
}

}  // namespace

bool process(const std::vector<Rule>& rules, LabelSet& labels) {
  for (const Rule& r : rules) {
    if (!r.regex) return false;  // never applied: parse reported it
    if (!applyOne(r, labels)) return false;
  }
  return true;
}

}  // namespace strata::relabel
