#include "rules_api.h"

#include <strata/sdk/json.hpp>

#include "alert_json.h"
#include "template.h"

namespace strata::ruler {
namespace {

std::string num(double v) { return goFloat(v); }

std::string alertJson(const Alert& a) {
  std::string out = "{\"labels\":" + jsonLabels(a.labels);
  std::map<std::string, std::string> ann(a.annotations.begin(), a.annotations.end());
  out += ",\"annotations\":" + jsonStringMap(ann);
  out += ",\"state\":\"" + std::string(alertStateName(a.state)) + "\"";
  out += ",\"activeAt\":\"" + rfc3339(a.active_at) + "\"";
  if (a.keep_firing_since) out += ",\"keepFiringSince\":\"" + rfc3339(a.keep_firing_since) + "\"";
  return out + ",\"value\":" + sdk::jsonString(goFloat(a.value)) + "}";
}

std::string listMap(const LabelList& l) {
  std::map<std::string, std::string> m(l.begin(), l.end());
  return jsonStringMap(m);
}

std::string ruleJson(const RuleStatus& r) {
  std::string out = "{";
  const Rule& rule = r.rule;
  if (rule.isAlert()) {
    AlertState state = AlertState::kInactive;
    for (const Alert& a : r.alerts)
      if (a.state > state) state = a.state;
    out += "\"state\":\"" + std::string(alertStateName(state)) + "\",";
  }
  out += "\"name\":" + sdk::jsonString(rule.name());
  out += ",\"query\":" + sdk::jsonString(rule.expr);
  if (rule.isAlert()) {
    out += ",\"duration\":" + num(rule.for_ms / 1000.0);
    out += ",\"keepFiringFor\":" + num(rule.keep_firing_for_ms / 1000.0);
  }
  out += ",\"labels\":" + listMap(rule.labels);
  if (rule.isAlert()) {
    out += ",\"annotations\":" + listMap(rule.annotations) + ",\"alerts\":[";
    for (size_t i = 0; i < r.alerts.size(); ++i) out += (i ? "," : "") + alertJson(r.alerts[i]);
    out += "]";
  }
  out += ",\"health\":\"" + r.health + "\"";
  if (!r.last_error.empty()) out += ",\"lastError\":" + sdk::jsonString(r.last_error);
  out += ",\"evaluationTime\":" + num(r.eval_seconds);
  out += ",\"lastEvaluation\":\"" + rfc3339(r.last_eval_ms) + "\"";
  out += std::string(",\"type\":\"") + (rule.isAlert() ? "alerting" : "recording") + "\"}";
  return out;
}

}  // namespace

std::string rulesJson(const std::vector<GroupStatus>& groups, const std::string& type) {
  std::string out = "{\"status\":\"success\",\"data\":{\"groups\":[";
  for (size_t g = 0; g < groups.size(); ++g) {
    const GroupStatus& s = groups[g];
    out += g ? "," : "";
    out += "{\"name\":" + sdk::jsonString(s.name) + ",\"file\":" + sdk::jsonString(s.file);
    out += ",\"rules\":[";
    bool first = true;
    for (const RuleStatus& r : s.rules) {
      if ((type == "alert" && !r.rule.isAlert()) || (type == "record" && r.rule.isAlert()))
        continue;
      out += (first ? "" : ",") + ruleJson(r);
      first = false;
    }
    out += "],\"interval\":" + num(s.interval_ms / 1000.0);
    out += ",\"limit\":" + std::to_string(s.limit);
    out += ",\"evaluationTime\":" + num(s.eval_seconds);
    out += ",\"lastEvaluation\":\"" + rfc3339(s.last_eval_ms) + "\"}";
  }
  return out + "]}}";
}

std::string alertsJson(const std::vector<GroupStatus>& groups) {
  std::string out = "{\"status\":\"success\",\"data\":{\"alerts\":[";
  bool first = true;
  for (const GroupStatus& g : groups)
    for (const RuleStatus& r : g.rules)
      for (const Alert& a : r.alerts) {
        out += (first ? "" : ",") + alertJson(a);
        first = false;
      }
  return out + "]}}";
}

}  // namespace strata::ruler
