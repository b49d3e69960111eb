// prometheus_scrape config: defaults and inheritance, and the checks Prometheus makes, each at
// its option path (what lint shows).
#include "scrape_config.h"

#include <gtest/gtest.h>

#include "scrape_options.h"
#include "scrape_receiver.h"
#include "yaml_config.h"

namespace strata::scrape {
namespace {

TEST(ScrapeConfigTest, DefaultsAndInheritance) {
  testing::YamlConfig cfg(R"(
scrape_interval: 30s
scrape_timeout: 45s
scrape_configs:
  - job_name: a
  - job_name: b
    scrape_interval: 5s
    scrape_timeout: 2s
    scheme: https
    params: {module: [if_mib], target: x}
    bearer_token: tok
)",
                          kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  std::vector<relabel::Problem> problems;
  ScrapeConfig sc = parseScrapeConfig(cfg.view(), &problems);
  // Only the component-level timeout > interval is a problem here.
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "scrape_timeout");
  ASSERT_EQ(sc.jobs.size(), 2u);
  EXPECT_EQ(sc.jobs[0].interval_ms, 30000);
  EXPECT_EQ(sc.jobs[0].timeout_ms, 30000);  // capped at the job's interval
  EXPECT_EQ(sc.jobs[0].metrics_path, "/metrics");
  EXPECT_EQ(sc.jobs[0].scheme, "http");
  EXPECT_TRUE(sc.jobs[0].honor_timestamps);
  EXPECT_FALSE(sc.jobs[0].honor_labels);
  EXPECT_EQ(sc.jobs[1].interval_ms, 5000);
  EXPECT_EQ(sc.jobs[1].timeout_ms, 2000);
  EXPECT_EQ(sc.jobs[1].params.at("module"), std::vector<std::string>{"if_mib"});
  EXPECT_EQ(sc.jobs[1].params.at("target"), std::vector<std::string>{"x"});
  EXPECT_EQ(sc.jobs[1].http.auth_type, "Bearer");
  EXPECT_EQ(sc.jobs[1].http.auth_credentials, "tok");
  EXPECT_EQ(sc.workers, 4);
}

TEST(ScrapeConfigTest, ProblemsAtPaths) {
  testing::YamlConfig cfg(R"(
scrape_configs:
  - job_name: a
    scrape_interval: 5s
    scrape_timeout: 10s
    scheme: ftp
  - job_name: a
    bearer_token: x
    authorization: {credentials: y}
    relabel_configs: [{action: hashmod, target_label: t}]
    file_sd_configs: [{files: [targets.txt]}]
    http_sd_configs: [{url: 'ftp://x'}]
    static_configs: [{targets: [h:1], labels: {'bad-name': v}}]
    sample_limit: -1
)",
                          kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  auto problems = testing::runValidate(&ScrapeReceiver::validate, cfg.view());
  std::vector<std::string> paths;
  for (const auto& p : problems) paths.push_back(p.substr(0, p.find(": ")));
  std::vector<std::string> want = {
      "scrape_configs.0.scrape_timeout",
      "scrape_configs.0.scheme",
      "scrape_configs.1.bearer_token",
      "scrape_configs.1.static_configs.0.labels.bad-name",
      "scrape_configs.1.file_sd_configs.0.files.0",
      "scrape_configs.1.http_sd_configs.0.url",
      "scrape_configs.1.relabel_configs.0.modulus",
      "scrape_configs.1.sample_limit",
      "scrape_configs.1.job_name",
  };
  EXPECT_EQ(paths, want);
}

TEST(ScrapeConfigTest, SchemaRejectsUnknownKeys) {
  testing::YamlConfig cfg("scrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n",
                          kReceiverOptions);
  EXPECT_FALSE(cfg.ok());
  testing::YamlConfig missing("scrape_configs:\n  - metrics_path: /m\n", kReceiverOptions);
  EXPECT_FALSE(missing.ok());  // job_name is required
}

}  // namespace
}  // namespace strata::scrape
