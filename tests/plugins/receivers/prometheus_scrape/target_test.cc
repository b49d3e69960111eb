// Target labels as Prometheus 2.42 builds them: job defaults, __param_*, relabel_configs,
// __meta_* removal, default port, instance, URL; and Go duration text.
#include "target.h"

#include <gtest/gtest.h>

#include "scrape_config.h"
#include "scrape_options.h"
#include "yaml_config.h"

namespace strata::scrape {
namespace {

JobConfig job(const std::string& yaml) {
  testing::YamlConfig cfg("scrape_configs:\n  - " + yaml, kReceiverOptions);
  EXPECT_TRUE(cfg.ok()) << (cfg.errors().empty() ? "" : cfg.errors()[0]);
  std::vector<relabel::Problem> problems;
  ScrapeConfig sc = parseScrapeConfig(cfg.view(), &problems);
  EXPECT_TRUE(problems.empty()) << problems[0].message;
  return sc.jobs.at(0);
}

TEST(TargetTest, DefaultsInstanceAndUrl) {
  JobConfig j = job("{job_name: node, scrape_interval: 15s, scrape_timeout: 10s}");
  std::string err;
  auto t =
      buildTarget(j, relabel::LabelSet{{"__address__", "127.0.0.1:9100"}, {"env", "prod"}}, &err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->labels.toString(),
            "{__address__=\"127.0.0.1:9100\", __metrics_path__=\"/metrics\", "
            "__scheme__=\"http\", __scrape_interval__=\"15s\", __scrape_timeout__=\"10s\", "
            "env=\"prod\", instance=\"127.0.0.1:9100\", job=\"node\"}");
  EXPECT_EQ(t->public_labels.toString(),
            "{env=\"prod\", instance=\"127.0.0.1:9100\", job=\"node\"}");
  EXPECT_EQ(t->url, "http://127.0.0.1:9100/metrics");
  EXPECT_EQ(t->interval_ms, 15000);
  EXPECT_EQ(t->timeout_ms, 10000);
}

TEST(TargetTest, ParamsRelabelMetaAndPort) {
  JobConfig j = job(R"({job_name: snmp, metrics_path: /snmp, scheme: https,
      params: {module: [if_mib, other]},
      relabel_configs: [
        {source_labels: [__address__], target_label: __param_target},
        {source_labels: [__param_target], target_label: instance},
        {target_label: __address__, replacement: 'exporter.local'},
        {source_labels: [__meta_x], target_label: zone},
        {source_labels: [__address__], target_label: __scrape_interval__, replacement: 30s}]})");
  std::string err;
  auto t = buildTarget(j, relabel::LabelSet{{"__address__", "switch 1"}, {"__meta_x", "z1"}}, &err);
  ASSERT_TRUE(t) << err;
  EXPECT_EQ(t->public_labels.toString(), "{instance=\"switch 1\", job=\"snmp\", zone=\"z1\"}");
  EXPECT_EQ(t->labels.get("__meta_x"), "");
  EXPECT_EQ(t->labels.get("__address__"), "exporter.local:443");
  EXPECT_EQ(t->url, "https://exporter.local:443/snmp?module=if_mib&module=other&target=switch+1");
  EXPECT_EQ(t->interval_ms, 30000);
}

TEST(TargetTest, DroppedAndInvalidTargets) {
  JobConfig j =
      job("{job_name: j, relabel_configs: [{source_labels: [__address__], regex: 'drop.*', "
          "action: drop}]}");
  std::string err;
  EXPECT_FALSE(buildTarget(j, relabel::LabelSet{{"__address__", "drop-me:1"}}, &err));
  EXPECT_EQ(err, "");
  EXPECT_FALSE(buildTarget(j, relabel::LabelSet{{"__address__", "host:1/path"}}, &err));
  EXPECT_NE(err.find("not a valid hostname"), std::string::npos);
  EXPECT_FALSE(buildTarget(j, relabel::LabelSet{{"x", "y"}}, &err));
  EXPECT_EQ(err, "no address");
}

TEST(TargetTest, GoDurations) {
  EXPECT_EQ(formatDuration(15000), "15s");
  EXPECT_EQ(formatDuration(60000), "1m");
  EXPECT_EQ(formatDuration(90000), "1m30s");
  EXPECT_EQ(formatDuration(500), "500ms");
  EXPECT_EQ(formatDuration(3600000), "1h");
  EXPECT_EQ(formatDuration(0), "0s");
  int64_t ms = 0;
  EXPECT_TRUE(parseDuration("1h30m", &ms));
  EXPECT_EQ(ms, 5400000);
  EXPECT_TRUE(parseDuration("1m500ms", &ms));
  EXPECT_EQ(ms, 60500);
  EXPECT_FALSE(parseDuration("30", &ms));
  EXPECT_FALSE(parseDuration("1s1m", &ms));
  EXPECT_FALSE(parseDuration("", &ms));
}

}  // namespace
}  // namespace strata::scrape
