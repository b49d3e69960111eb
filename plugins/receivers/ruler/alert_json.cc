#include "alert_json.h"

#include <ctime>
#include <strata/sdk/json.hpp>

namespace strata::ruler {

std::string rfc3339(int64_t ms) {
  time_t s = static_cast<time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  int frac = static_cast<int>(ms - static_cast<int64_t>(s) * 1000);
  struct tm tm;
  gmtime_r(&s, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (frac) {
    char f[8];
    snprintf(f, sizeof f, ".%03d", frac);
    out += f;
  }
  return out + "Z";
}

std::string jsonStringMap(const std::map<std::string, std::string>& m) {
  std::string out = "{";
  for (const auto& [k, v] : m) {
    if (out.size() > 1) out += ',';
    sdk::appendJsonString(out, k);
    out += ':';
    sdk::appendJsonString(out, v);
  }
  return out + "}";
}

std::string jsonLabels(const promql::Labels& l) {
  std::map<std::string, std::string> m;
  for (const promql::Label& x : l) m[x.name] = x.value;
  return jsonStringMap(m);
}

std::string alertmanagerPayload(const std::vector<Alert>& alerts,
                                const std::map<std::string, std::string>& external_labels,
                                const std::string& external_url) {
  std::string out = "[";
  for (const Alert& a : alerts) {
    std::map<std::string, std::string> labels = external_labels;
    for (const promql::Label& l : a.labels) labels[l.name] = l.value;
    if (out.size() > 1) out += ',';
    out += "{\"labels\":" + jsonStringMap(labels);
    out += ",\"annotations\":" + jsonStringMap(a.annotations);
    out += ",\"startsAt\":\"" + rfc3339(a.fired_at ? a.fired_at : a.active_at) + "\"";
    int64_t ends = a.state == AlertState::kInactive ? a.resolved_at : a.valid_until;
    out += ",\"endsAt\":\"" + rfc3339(ends) + "\"";
    out += ",\"generatorURL\":";
    sdk::appendJsonString(out, external_url);
    out += "}";
  }
  return out + "]";
}

}  // namespace strata::ruler
