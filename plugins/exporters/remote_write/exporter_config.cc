#include "exporter_config.h"

#include <algorithm>
#include <functional>
#include <stdexcept>
#include <vector>

namespace strata::rwexporter {
namespace {

using Problems = std::vector<std::pair<std::string, std::string>>;

// Every check lives here once; parse() throws the first problem, validate() reports them all.
Problems check(const sdk::ConfigView& c) {
  Problems p;
  auto url = c["url"].asString();
  if (url.empty())
    p.push_back({"url", "url is required"});
  else if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    p.push_back({"url", "url must start with http:// or https://"});
  auto protocol = c["protocol"].asString("1.0");
  if (protocol != "1.0" && protocol != "2.0")
    p.push_back({"protocol", "protocol must be 1.0 or 2.0, not \"" + protocol + "\""});
  if (c["remote_timeout"].present() && c["remote_timeout"].asMillis() <= 0)
    p.push_back({"remote_timeout", "remote_timeout must be positive"});
  std::vector<http_client::Problem> http_problems;
  http_client::parseHttpClientOptions(c, "", &http_problems, httpClientDefaults());
  for (auto& hp : http_problems) p.push_back({std::move(hp.path), std::move(hp.message)});
  auto qc = c["queue_config"];
  int64_t min_shards = qc["min_shards"].asInt(1), max_shards = qc["max_shards"].asInt(50);
  if (min_shards < 1) p.push_back({"queue_config.min_shards", "must be at least 1"});
  if (max_shards < min_shards)
    p.push_back({"queue_config.max_shards", "must be at least queue_config.min_shards"});
  if (max_shards > 1024) p.push_back({"queue_config.max_shards", "must be at most 1024"});
  if (qc["capacity"].asInt(10000) < 1) p.push_back({"queue_config.capacity", "must be at least 1"});
  if (qc["max_samples_per_send"].asInt(2000) < 1)
    p.push_back({"queue_config.max_samples_per_send", "must be at least 1"});
  if (qc["min_backoff"].asMillis(30) <= 0)
    p.push_back({"queue_config.min_backoff", "must be positive"});
  if (qc["max_backoff"].asMillis(5000) < qc["min_backoff"].asMillis(30))
    p.push_back({"queue_config.max_backoff", "must be at least queue_config.min_backoff"});
  for (const auto& [name, value] : c["external_labels"].asStringMap()) {
    if (!relabel::isValidLabelName(name) || name.rfind("__", 0) == 0)
      p.push_back(
          {"external_labels." + name,
           "\"" + name + "\" is not a valid external label name (reserved names start with __)"});
    else if (value.empty())
      p.push_back({"external_labels." + name, "value must not be empty"});
  }
  std::vector<relabel::Problem> relabel_problems;
  relabel::parseRules(c["write_relabel_configs"], "write_relabel_configs", &relabel_problems);
  for (auto& rp : relabel_problems) p.push_back({rp.path, rp.message});
  auto mc = c["metadata_config"];
  if (mc["send_interval"].asMillis(60000) <= 0)
    p.push_back({"metadata_config.send_interval", "must be positive"});
  if (mc["max_samples_per_send"].asInt(500) < 1)
    p.push_back({"metadata_config.max_samples_per_send", "must be at least 1"});
  auto q = c["queue"];
  if (q["max_bytes"].asInt(1) < 1) p.push_back({"queue.max_bytes", "must be positive"});
  auto sync = q["sync"].asString("never");
  if (sync != "always" && sync != "never")
    p.push_back({"queue.sync", "sync must be always or never"});
  return p;
}

}  // namespace

uint32_t ExporterConfig::shardCount() const { return minShards(); }

uint32_t ExporterConfig::minShards() const {
  return static_cast<uint32_t>(std::clamp<int64_t>(queue_config.min_shards, 1, maxShards()));
}

uint32_t ExporterConfig::maxShards() const {
  return static_cast<uint32_t>(std::clamp<int64_t>(queue_config.max_shards, 1, 1024));
}

ExporterConfig ExporterConfig::parse(const sdk::ConfigView& c, const std::string& data_dir) {
  auto problems = check(c);
  if (!problems.empty()) throw std::invalid_argument(problems[0].first + ": " + problems[0].second);
  ExporterConfig o;
  o.url = c["url"].asString();
  o.remote_timeout = Millis(c["remote_timeout"].asMillis(30000));
  std::vector<http_client::Problem> ignored_http;  // check() above reported them already
  o.http = http_client::parseHttpClientOptions(c, "", &ignored_http, httpClientDefaults());
  o.protocol = c["protocol"].asString("1.0");
  auto qc = c["queue_config"];
  o.queue_config.capacity = qc["capacity"].asInt(10000);
  o.queue_config.min_shards = qc["min_shards"].asInt(1);
  o.queue_config.max_shards = qc["max_shards"].asInt(50);
  o.queue_config.max_samples_per_send = qc["max_samples_per_send"].asInt(2000);
  o.queue_config.batch_send_deadline = Millis(qc["batch_send_deadline"].asMillis(5000));
  o.queue_config.min_backoff = Millis(qc["min_backoff"].asMillis(30));
  o.queue_config.max_backoff = Millis(qc["max_backoff"].asMillis(5000));
  o.queue_config.retry_on_http_429 = qc["retry_on_http_429"].asBool(true);
  auto mc = c["metadata_config"];
  o.metadata_config.send = mc["send"].asBool(true);
  o.metadata_config.send_interval = Millis(mc["send_interval"].asMillis(60000));
  o.metadata_config.max_samples_per_send = mc["max_samples_per_send"].asInt(500);
  auto q = c["queue"];
  o.queue.directory = q["directory"].asString();
  if (o.queue.directory.empty()) o.queue.directory = data_dir + "/queue";
  o.queue.max_bytes = static_cast<uint64_t>(q["max_bytes"].asInt(1ll << 30));
  o.queue.sync = q["sync"].asString("never") == "always";
  std::vector<relabel::Problem> ignored;  // check() above reported them already
  o.write_relabel_configs =
      relabel::parseRules(c["write_relabel_configs"], "write_relabel_configs", &ignored);
  for (auto& [name, value] : c["external_labels"].asStringMap())  // a std::map: sorted
    o.external_labels.emplace_back(name, value);
  return o;
}

void validateConfig(const sdk::ConfigView& config, strata_diag_sink* sink) {
  for (const auto& [path, message] : check(config))
    sink->report(sink, path.c_str(), message.c_str());
}

}  // namespace strata::rwexporter
