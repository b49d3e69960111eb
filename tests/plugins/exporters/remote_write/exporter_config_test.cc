// Option parsing and lint checks of the remote_write exporter.
#include "exporter_config.h"

#include <gtest/gtest.h>

#include "test_config.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using strata::testing::TestConfig;

struct Diags : strata_diag_sink {
  std::vector<std::string> paths;
  Diags() {
    report = [](strata_diag_sink* self, const char* path, const char*) {
      static_cast<Diags*>(self)->paths.push_back(path);
    };
    private_data = nullptr;
  }
};

TEST(ExporterConfigTest, DefaultsLikePrometheus) {
  TestConfig cfg;
  cfg.set("url", "http://127.0.0.1:9090/api/v1/write");
  auto c = ExporterConfig::parse(cfg.view(), "/data/rw");
  EXPECT_EQ(c.remote_timeout, Millis(30000));
  EXPECT_EQ(c.queue_config.max_samples_per_send, 2000);
  EXPECT_EQ(c.queue_config.batch_send_deadline, Millis(5000));
  EXPECT_EQ(c.queue_config.min_backoff, Millis(30));
  EXPECT_EQ(c.queue_config.max_backoff, Millis(5000));
  EXPECT_TRUE(c.queue_config.retry_on_http_429);
  EXPECT_EQ(c.queue.directory, "/data/rw/queue");
  EXPECT_EQ(c.queue.max_bytes, 1ull << 30);
  EXPECT_FALSE(c.queue.sync);
  EXPECT_EQ(c.protocol, "1.0");
  EXPECT_EQ(c.shardCount(), 1u);
}

TEST(ExporterConfigTest, ReadsFlatOptions) {
  TestConfig cfg;
  cfg.set("url", "https://x/api/v1/write")
      .set("remote_timeout", 1500)
      .set("headers", std::map<std::string, std::string>{{"X-Scope-OrgID", "t1"}})
      .set("bearer_token", "tok");
  auto c = ExporterConfig::parse(cfg.view(), "/d");
  EXPECT_EQ(c.remote_timeout, Millis(1500));
  EXPECT_EQ(c.http.headers.at("X-Scope-OrgID"), "t1");
  EXPECT_EQ(c.http.auth_credentials, "tok");
  EXPECT_EQ(c.http.auth_type, "Bearer");
}

TEST(ExporterConfigTest, RefusesBadValues) {
  TestConfig missing;
  EXPECT_THROW(ExporterConfig::parse(missing.view(), "/d"), std::invalid_argument);
  TestConfig scheme;
  scheme.set("url", "ftp://x");
  Diags d;
  validateConfig(scheme.view(), &d);
  EXPECT_EQ(d.paths, std::vector<std::string>{"url"});
  TestConfig v3;
  v3.set("url", "http://x").set("protocol", "3.0");
  Diags d3;
  validateConfig(v3.view(), &d3);
  EXPECT_EQ(d3.paths, std::vector<std::string>{"protocol"});
  TestConfig v2;
  v2.set("url", "http://x").set("protocol", "2.0");
  Diags d2;
  validateConfig(v2.view(), &d2);
  EXPECT_TRUE(d2.paths.empty());
  EXPECT_TRUE(ExporterConfig::parse(v2.view(), "/d").v2());
}

TEST(ExporterConfigTest, ExternalLabelsSortedAndChecked) {
  TestConfig good;
  good.set("url", "http://x")
      .set("external_labels",
           std::map<std::string, std::string>{{"region", "eu"}, {"cluster", "eu-1"}});
  auto c = ExporterConfig::parse(good.view(), "/d");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c.external_labels, (Pairs{{"cluster", "eu-1"}, {"region", "eu"}}));
  TestConfig bad;
  bad.set("url", "http://x")
      .set("external_labels", std::map<std::string, std::string>{
                                  {"__reserved", "x"}, {"empty", ""}, {"1bad", "y"}, {"ok", "z"}});
  Diags d;
  validateConfig(bad.view(), &d);
  EXPECT_EQ(d.paths, (std::vector<std::string>{"external_labels.1bad", "external_labels.__reserved",
                                               "external_labels.empty"}));
  EXPECT_THROW(ExporterConfig::parse(bad.view(), "/d"), std::invalid_argument);
}

}  // namespace
}  // namespace strata::rwexporter
