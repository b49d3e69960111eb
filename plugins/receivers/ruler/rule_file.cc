// Rule files as Prometheus' rulefmt reads them: yaml.v3 with KnownFields (unknown fields are
// errors), then RuleGroups.Validate and Rule.Validate with their messages. keep_firing_for
// is newer than 2.42: it is accepted (the ruler implements it) with a warning.
#include "rule_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/promql/duration.h"
#include "core/promql/parser.h"
#include "core/promql/value.h"
#include "template.h"

namespace strata::ruler {
namespace {

class Checker {
 public:
  Checker(const std::string& file, ParseResult* out) : file_(file), out_(out) {}

  void error(const YAML::Mark& m, const std::string& msg) { out_->errors.push_back(at(m) + msg); }
  void warn(const YAML::Mark& m, const std::string& msg) { out_->warnings.push_back(at(m) + msg); }

  std::string at(const YAML::Mark& m) const {
    return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
  }

  // Unknown keys, as yaml.v3 KnownFields reports them.
  bool knownFields(const YAML::Node& map, std::set<std::string> known, const char* type) {
    if (!map.IsMap()) {
      error(map.Mark(), std::string("cannot unmarshal into ") + type + ": not a mapping");
      return false;
    }
    for (const auto& kv : map) {
      std::string k = kv.first.as<std::string>();
      if (!known.count(k)) error(kv.first.Mark(), "field " + k + " not found in type " + type);
    }
    return true;
  }

  bool scalar(const YAML::Node& n, const char* what, std::string* out) {
    if (!n) return true;
    if (!n.IsScalar() && !n.IsNull()) {
      error(n.Mark(), std::string(what) + ": expected a string");
      return false;
    }
    *out = n.IsNull() ? "" : n.Scalar();
    return true;
  }

  bool duration(const YAML::Node& n, const char* what, int64_t* out) {
    std::string s;
    if (!n || !scalar(n, what, &s) || s.empty()) return true;
    auto d = promql::parseDuration(s);
    if (!d) {
      error(n.Mark(), std::string(what) + ": not a valid duration string: \"" + s + "\"");
      return false;
    }
    *out = *d;
    return true;
  }

  bool stringMap(const YAML::Node& n, const char* what, LabelList* out) {
    if (!n || n.IsNull()) return true;
    if (!n.IsMap()) {
      error(n.Mark(), std::string(what) + ": expected a mapping of strings");
      return false;
    }
    for (const auto& kv : n) {
      if (!kv.second.IsScalar() && !kv.second.IsNull()) {
        error(kv.second.Mark(), std::string(what) + ": expected a string value");
        continue;
      }
      out->emplace_back(kv.first.as<std::string>(), kv.second.IsNull() ? "" : kv.second.Scalar());
    }
    return true;
  }

  void rule(const YAML::Node& n, Group* g) {
    if (!knownFields(n,
                     {"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"},
                     "rulefmt.RuleNode"))
      return;
    Rule r;
    r.line = n.Mark().line + 1;
    r.column = n.Mark().column + 1;
    scalar(n["record"], "record", &r.record);
    scalar(n["alert"], "alert", &r.alert);
    scalar(n["expr"], "expr", &r.expr);
    duration(n["for"], "for", &r.for_ms);
    if (n["keep_firing_for"]) {
      duration(n["keep_firing_for"], "keep_firing_for", &r.keep_firing_for_ms);
      warn(n["keep_firing_for"].Mark(),
           "keep_firing_for is newer than Prometheus 2.42 (promtool 2.42 rejects it)");
    }
    stringMap(n["labels"], "labels", &r.labels);
    stringMap(n["annotations"], "annotations", &r.annotations);
    validate(n, r);
    g->rules.push_back(std::move(r));
  }

  // rulefmt.Rule.Validate, plus the template check of promtool (testTemplateParsing).
  void validate(const YAML::Node& n, const Rule& r) {
    YAML::Mark m = n.Mark();
    if (!r.record.empty() && !r.alert.empty())
      error(n["record"].Mark(), "only one of 'record' and 'alert' must be set");
    if (r.record.empty() && r.alert.empty()) {
      if (n["record"] || n["alert"])
        error(m, "field 'record' or 'alert' must not be empty");
      else
        error(m, "one of 'record' or 'alert' must be set");
    }
    if (r.expr.empty()) {
      error(n["expr"] ? n["expr"].Mark() : m, "field 'expr' must be set in rule");
    } else {
      try {
        promql::parseExpr(r.expr);
      } catch (const promql::QueryError& e) {
        error(n["expr"].Mark(), std::string("could not parse expression: ") + e.what());
      }
    }
    if (!r.record.empty()) {
      if (n["annotations"])
        error(n["annotations"].Mark(), "invalid field 'annotations' in recording rule");
      if (n["for"]) error(n["for"].Mark(), "invalid field 'for' in recording rule");
      if (n["keep_firing_for"])
        error(n["keep_firing_for"].Mark(), "invalid field 'keep_firing_for' in recording rule");
      if (!validMetricName(r.record))
        error(n["record"].Mark(), "invalid recording rule name: " + r.record);
    }
    for (const auto& [k, v] : r.labels) {
      if (!validLabelName(k) || k == "__name__")
        error(n["labels"].Mark(), "invalid label name: " + k);
    }
    for (const auto& [k, v] : r.annotations) {
      if (!validLabelName(k)) error(n["annotations"].Mark(), "invalid annotation name: " + k);
    }
    if (r.isAlert()) {
      for (const auto* list : {&r.labels, &r.annotations}) {
        for (const auto& [k, v] : *list) {
          std::string err;
          if (!Template::parse(v, &err))
            error(n[list == &r.labels ? "labels" : "annotations"].Mark(),
                  "template: __alert_" + r.alert + ": " + k + ": " + err);
        }
      }
    }
  }

  void group(const YAML::Node& n, std::set<std::string>* names) {
    if (!knownFields(n, {"name", "interval", "limit", "rules"}, "rulefmt.RuleGroup")) return;
    Group g;
    g.file = file_;
    g.line = n.Mark().line + 1;
    g.column = n.Mark().column + 1;
    scalar(n["name"], "name", &g.name);
    if (g.name.empty()) error(n.Mark(), "Groupname must not be empty");
    if (!g.name.empty() && !names->insert(g.name).second)
      error(n["name"].Mark(), "groupname: \"" + g.name + "\" is repeated in the same file");
    duration(n["interval"], "interval", &g.interval_ms);
    if (n["limit"]) {
      try {
        g.limit = n["limit"].as<int64_t>();
      } catch (const YAML::Exception&) {
        error(n["limit"].Mark(), "limit: expected an integer");
      }
    }
    const YAML::Node rules = n["rules"];
    if (rules && !rules.IsNull()) {
      if (!rules.IsSequence())
        error(rules.Mark(), "rules: expected a list");
      else
        for (const auto& r : rules) rule(r, &g);
    }
    out_->groups.push_back(std::move(g));
  }

  void file(const YAML::Node& root) {
    if (!root || root.IsNull()) return;  // an empty file is fine, as in Prometheus
    if (!knownFields(root, {"groups"}, "rulefmt.RuleGroups")) return;
    const YAML::Node groups = root["groups"];
    if (!groups || groups.IsNull()) return;
    if (!groups.IsSequence()) {
      error(groups.Mark(), "groups: expected a list");
      return;
    }
    std::set<std::string> names;
    for (const auto& g : groups) group(g, &names);
  }

 private:
  std::string file_;
  ParseResult* out_;
};

bool nameChar(char c, bool first, bool colon) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
  return alpha || (!first && c >= '0' && c <= '9');
}

bool validName(const std::string& s, bool colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (!nameChar(s[i], i == 0, colon)) return false;
  return true;
}

}  // namespace

bool validMetricName(const std::string& s) { return validName(s, true); }
bool validLabelName(const std::string& s) { return validName(s, false); }

ParseResult parseRules(const std::string& text, const std::string& file) {
  ParseResult out;
  Checker c(file, &out);
  try {
    c.file(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    out.errors.push_back(c.at(e.mark) + e.msg);
  }
  if (!out.errors.empty()) out.groups.clear();
  return out;
}

ParseResult parseRuleFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    ParseResult out;
    out.errors.push_back(path + ": cannot read rule file");
    return out;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parseRules(ss.str(), path);
}

}  // namespace strata::ruler
