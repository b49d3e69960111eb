#include "ruler_options.h"

#include <glob.h>

#include <set>

namespace strata::ruler {

RulerOptions parseOptions(const sdk::ConfigView& c) {
  RulerOptions o;
  o.sources = c["sources"].asStringList();
  o.rule_files = c["rule_files"].asStringList();
  o.evaluation_interval_ms = c["evaluation_interval"].asMillis(60000);
  o.lookback_delta_ms = c["lookback_delta"].asMillis(300000);
  o.query_timeout_ms = c["query_timeout"].asMillis(120000);
  o.external_labels = c["external_labels"].asStringMap();
  o.external_url = c["external_url"].asString();
  o.tenant = c["tenant"].asString("default-tenant");
  o.listen_address = c["listen_address"].asString();
  o.resend_delay_ms = c["resend_delay"].asMillis(60000);
  o.send_retries = c["send_retries"].asInt(3);
  o.notification_queue_capacity = c["notification_queue_capacity"].asInt(10000);
  sdk::ConfigView ams = c["alertmanagers"];
  for (size_t i = 0; i < ams.size(); ++i) {
    sdk::ConfigView am = ams.at(i);
    std::string scheme = am["scheme"].asString("http");
    std::string prefix = am["path_prefix"].asString("/");
    if (prefix.empty() || prefix.back() != '/') prefix += '/';
    if (prefix.front() != '/') prefix = "/" + prefix;
    int64_t timeout = am["timeout"].asMillis(10000);
    sdk::ConfigView statics = am["static_configs"];
    for (size_t j = 0; j < statics.size(); ++j)
      for (const std::string& t : statics.at(j)["targets"].asStringList())
        o.alertmanagers.push_back({scheme + "://" + t + prefix + "api/v2/alerts", timeout});
  }
  return o;
}

ParseResult loadRuleFiles(const std::vector<std::string>& patterns) {
  ParseResult all;
  std::set<std::string> files;
  for (const std::string& p : patterns) {
    glob_t g{};
    int rc = glob(p.c_str(), 0, nullptr, &g);
    if (rc == 0)
      for (size_t i = 0; i < g.gl_pathc; ++i) files.insert(g.gl_pathv[i]);
    globfree(&g);
  }
  for (const std::string& f : files) {
    ParseResult r = parseRuleFile(f);
    all.errors.insert(all.errors.end(), r.errors.begin(), r.errors.end());
    all.warnings.insert(all.warnings.end(), r.warnings.begin(), r.warnings.end());
    for (Group& g : r.groups) all.groups.push_back(std::move(g));
  }
  return all;
}

std::vector<std::pair<std::string, std::string>> checkOptions(const sdk::ConfigView& c) {
  std::vector<std::pair<std::string, std::string>> out;
  RulerOptions o = parseOptions(c);
  if (o.sources.size() != 1)
    out.emplace_back("sources", "exactly one source is supported in this version");
  for (const auto& [k, v] : o.external_labels)
    if (!validLabelName(k)) out.emplace_back("external_labels", "invalid label name: " + k);
  if (o.evaluation_interval_ms <= 0) out.emplace_back("evaluation_interval", "must be positive");
  sdk::ConfigView ams = c["alertmanagers"];
  for (size_t i = 0; i < ams.size(); ++i) {
    std::string path = "alertmanagers." + std::to_string(i);
    std::string v = ams.at(i)["api_version"].asString("v2");
    if (v != "v2") out.emplace_back(path + ".api_version", "only v2 is supported, got " + v);
    std::string s = ams.at(i)["scheme"].asString("http");
    if (s != "http" && s != "https") out.emplace_back(path + ".scheme", "must be http or https");
  }
  ParseResult r = loadRuleFiles(o.rule_files);
  for (const std::string& e : r.errors) out.emplace_back("rule_files", e);
  return out;
}

}  // namespace strata::ruler
