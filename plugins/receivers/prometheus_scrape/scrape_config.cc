#include "scrape_config.h"

#include <set>
#include <stdexcept>

namespace strata::scrape {
namespace {

using relabel::Problem;

struct Ctx {
  std::string prefix;
  std::vector<Problem>* out;
  void bad(const std::string& opt, const std::string& msg) const {
    out->push_back({prefix + opt, msg});
  }
};

void parseParams(const sdk::ConfigView& v, const Ctx& c, JobConfig& job) {
  if (!v.present()) return;
  if (v.kind() != STRATA_VALUE_MAP) return c.bad("params", "must be a map of name to list");
  for (size_t i = 0; i < v.size(); ++i) {
    std::string name(v.keyAt(i));
    sdk::ConfigView vals = v.at(i);
    if (vals.kind() == STRATA_VALUE_LIST) {
      job.params[name] = vals.asStringList();
    } else if (vals.kind() == STRATA_VALUE_STRING) {
      job.params[name] = {vals.asString()};
    } else {
      c.bad("params." + name, "must be a list of strings");
    }
  }
}

void parseAuth(const sdk::ConfigView& j, const Ctx& c, JobConfig& job) {
  std::vector<http_client::Problem> problems;
  job.http = http_client::parseHttpClientOptions(j, c.prefix, &problems);
  for (auto& p : problems) c.out->push_back({std::move(p.path), std::move(p.message)});
}

void parseDiscovery(const sdk::ConfigView& j, const Ctx& c, JobConfig& job) {
  sdk::ConfigView st = j["static_configs"];
  for (size_t i = 0; i < st.size(); ++i) {
    StaticGroup g{st.at(i)["targets"].asStringList(), st.at(i)["labels"].asStringMap()};
    for (const auto& [name, value] : g.labels) {
      if (!relabel::isValidLabelName(name))
        c.bad("static_configs." + std::to_string(i) + ".labels." + name,
              "\"" + name + "\" is not a valid label name");
    }
    job.static_configs.push_back(std::move(g));
  }
  sdk::ConfigView fsd = j["file_sd_configs"];
  for (size_t i = 0; i < fsd.size(); ++i) {
    FileSd f{fsd.at(i)["files"].asStringList(), fsd.at(i)["refresh_interval"].asMillis(300000)};
    for (size_t k = 0; k < f.files.size(); ++k) {
      const std::string& path = f.files[k];
      auto dot = path.rfind('.');
      std::string ext = dot == std::string::npos ? "" : path.substr(dot);
      if (ext != ".json" && ext != ".yml" && ext != ".yaml")
        c.bad("file_sd_configs." + std::to_string(i) + ".files." + std::to_string(k),
              "path \"" + path + "\" must end in .json, .yml or .yaml");
    }
    job.file_sd.push_back(std::move(f));
  }
  sdk::ConfigView hsd = j["http_sd_configs"];
  for (size_t i = 0; i < hsd.size(); ++i) {
    HttpSd h{hsd.at(i)["url"].asString(), hsd.at(i)["refresh_interval"].asMillis(60000)};
    if (h.url.rfind("http://", 0) != 0 && h.url.rfind("https://", 0) != 0)
      c.bad("http_sd_configs." + std::to_string(i) + ".url", "URL scheme must be http or https");
    job.http_sd.push_back(std::move(h));
  }
}

JobConfig parseJob(const sdk::ConfigView& j, const Ctx& c, int64_t interval, int64_t timeout) {
  JobConfig job;
  job.job_name = j["job_name"].asString();
  if (job.job_name.empty()) c.bad("job_name", "job_name is empty");
  job.interval_ms = j["scrape_interval"].present() ? j["scrape_interval"].asMillis() : interval;
  // As Prometheus: an unset timeout is the global one, capped at the job's interval.
  job.timeout_ms = j["scrape_timeout"].present() ? j["scrape_timeout"].asMillis()
                                                 : std::min(timeout, job.interval_ms);
  if (job.interval_ms <= 0) c.bad("scrape_interval", "must be positive");
  if (job.timeout_ms <= 0) c.bad("scrape_timeout", "must be positive");
  if (job.timeout_ms > job.interval_ms)
    c.bad("scrape_timeout",
          "scrape timeout greater than scrape interval for scrape config with "
          "job name \"" +
              job.job_name + "\"");
  job.metrics_path = j["metrics_path"].asString("/metrics");
  job.scheme = j["scheme"].asString("http");
  if (job.scheme != "http" && job.scheme != "https")
    c.bad("scheme", "scheme must be http or https, not \"" + job.scheme + "\"");
  parseParams(j["params"], c, job);
  job.honor_labels = j["honor_labels"].asBool(false);
  job.honor_timestamps = j["honor_timestamps"].asBool(true);
  parseAuth(j, c, job);
  parseDiscovery(j, c, job);
  job.relabel_configs =
      relabel::parseRules(j["relabel_configs"], c.prefix + "relabel_configs", c.out);
  job.metric_relabel_configs =
      relabel::parseRules(j["metric_relabel_configs"], c.prefix + "metric_relabel_configs", c.out);
  auto limit = [&](const char* name, int64_t* field) {
    *field = j[name].asInt(0);
    if (*field < 0) c.bad(name, "must not be negative");
  };
  limit("sample_limit", &job.sample_limit);
  limit("label_limit", &job.label_limit);
  limit("label_name_length_limit", &job.label_name_length_limit);
  limit("label_value_length_limit", &job.label_value_length_limit);
  limit("body_size_limit", &job.body_size_limit);
  return job;
}

}  // namespace

ScrapeConfig parseScrapeConfig(const sdk::ConfigView& config, std::vector<Problem>* out) {
  ScrapeConfig sc;
  sc.tenant = config["tenant"].asString();
  sc.workers = static_cast<int>(config["workers"].asInt(4));
  sc.send_metadata = config["send_metadata"].asBool(true);
  std::string ack = config["ack"].asString("delivered");
  if (ack != "accepted" && ack != "delivered")
    out->push_back({"ack", "must be accepted or delivered, not \"" + ack + "\""});
  sc.ack_on_delivery = ack == "delivered";
  sc.metadata_interval_ms = config["metadata_interval"].asMillis(60000);
  if (sc.metadata_interval_ms < 0) out->push_back({"metadata_interval", "must not be negative"});
  if (sc.workers < 1 || sc.workers > 64) out->push_back({"workers", "must be between 1 and 64"});
  int64_t interval = config["scrape_interval"].asMillis(60000);
  int64_t timeout = config["scrape_timeout"].asMillis(10000);
  if (timeout > interval) out->push_back({"scrape_timeout", "greater than scrape_interval"});
  std::set<std::string> names;
  sdk::ConfigView jobs = config["scrape_configs"];
  for (size_t i = 0; i < jobs.size(); ++i) {
    Ctx c{"scrape_configs." + std::to_string(i) + ".", out};
    JobConfig job = parseJob(jobs.at(i), c, interval, timeout);
    if (!job.job_name.empty() && !names.insert(job.job_name).second)
      c.bad("job_name", "found multiple scrape configs with job name \"" + job.job_name + "\"");
    sc.jobs.push_back(std::move(job));
  }
  return sc;
}

ScrapeConfig parseScrapeConfigOrThrow(const sdk::ConfigView& config) {
  std::vector<Problem> problems;
  ScrapeConfig sc = parseScrapeConfig(config, &problems);
  if (!problems.empty()) throw std::invalid_argument(problems.front().text());
  return sc;
}

void validateScrapeConfig(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::vector<Problem> problems;
  parseScrapeConfig(config, &problems);
  for (const auto& p : problems) sink->report(sink, p.path.c_str(), p.message.c_str());
}

}  // namespace strata::scrape
