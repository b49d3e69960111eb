// The receiver end to end against a loopback server: one batch per scrape with target and
// report series, Prometheus' Accept header and auth, staleness when a series or the server
// goes away, RETRY held once then dropped, and file_sd picked up when the file changes.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "fake_host.h"
#include "scrape_options.h"
#include "scrape_receiver.h"
#include "test_server.h"
#include "yaml_config.h"

namespace strata::scrape {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Waits (bounded) until an emitted batch satisfies `pred`; returns its index or -1.
template <typename P>
int waitFor(strata::testing::FakeHost& fake, size_t from, P pred) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  for (size_t n = from + 1; std::chrono::steady_clock::now() < deadline; ++n) {
    if (!fake.waitForEmits(n, std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())))
      return -1;
    auto all = fake.emitted();
    if (pred(all[n - 1])) return static_cast<int>(n - 1);
  }
  return -1;
}

TEST(ScrapeReceiverTest, ScrapesStalesAndNegotiates) {
  testing::TestServer server;
  server.set(200, "# TYPE a gauge\na 1\nb{x=\"y\"} 2\n");
  std::string port = std::to_string(server.port());
  strata::testing::YamlConfig cfg(R"(
scrape_interval: 100ms
scrape_timeout: 100ms
scrape_configs:
  - job_name: t
    authorization: {credentials: secret}
    params: {p: [v]}
    static_configs: [{targets: ['127.0.0.1:)" +
                                      port + R"('], labels: {env: test}}]
)",
                                  kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  std::string inst = "instance=\"127.0.0.1:" + port + "\"";
  int first = waitFor(fake, 0, [&](const auto& b) { return contains(b.lines, "up{"); });
  ASSERT_GE(first, 0);
  std::string lines = fake.emitted()[first].lines;
  EXPECT_TRUE(contains(lines, "a{env=\"test\"," + inst + ",job=\"t\"} 1 ")) << lines;
  EXPECT_TRUE(contains(lines, "b{env=\"test\"," + inst + ",job=\"t\",x=\"y\"} 2 ")) << lines;
  EXPECT_TRUE(contains(lines, "up{env=\"test\"," + inst + ",job=\"t\"} 1 ")) << lines;
  EXPECT_TRUE(contains(server.lastHeader("Accept"), "application/openmetrics-text;version=1.0.0"));
  EXPECT_EQ(server.lastHeader("Authorization"), "Bearer secret");
  EXPECT_EQ(server.lastHeader("@uri"), "/metrics?p=v");
  auto md = r.metadata();
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(md[0].family, "a");
  EXPECT_EQ(md[0].meta.type, "gauge");

  server.set(200, "a 1\n");  // b disappears: one stale marker
  int stale =
      waitFor(fake, first, [](const auto& b) { return contains(b.lines, "x=\"y\"} NaN "); });
  ASSERT_GE(stale, 0);
  EXPECT_TRUE(contains(fake.emitted()[stale].lines, "job=\"t\",x=\"y\"} NaN "))
      << fake.emitted()[stale].lines;

  server.set(500, "");  // the target fails: up 0, a goes stale
  std::string up0 = "\nup{env=\"test\"," + inst + ",job=\"t\"} 0 ";
  int down = waitFor(fake, stale, [&](const auto& b) { return contains(b.lines, up0); });
  ASSERT_GE(down, 0);
  EXPECT_TRUE(contains(fake.emitted()[down].lines, "a{env=\"test\"")) << fake.emitted()[down].lines;
  r.stop();
  EXPECT_GE(fake.metric("strata_scrape_failed_scrapes_total"), 1);
}

// Metadata goes with the first scrape, not with the next ones while unchanged, again as soon
// as it changes, and again after RETRY (it was not accepted).
TEST(ScrapeReceiverTest, MetadataOnlyWhenChanged) {
  testing::TestServer server;
  server.set(200,
             "# HELP a_total Things done.\n# TYPE a_total counter\na_total 1\n"
             "# TYPE u untyped\nu 2\n");
  std::string port = std::to_string(server.port());
  strata::testing::YamlConfig cfg(R"(
scrape_interval: 100ms
scrape_timeout: 100ms
metadata_interval: 1h
scrape_configs:
  - job_name: t
    static_configs: [{targets: ['127.0.0.1:)" +
                                      port + R"(']}]
)",
                                  kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(3, 10s));
  auto all = fake.emitted();
  ASSERT_EQ(all[0].metadata.size(), 2u);
  EXPECT_EQ(all[0].metadata[0],
            (sdk::MetricMetadata{"a_total", STRATA_FAMILY_COUNTER, "Things done.", ""}));
  EXPECT_EQ(all[0].metadata[1], (sdk::MetricMetadata{"u", STRATA_FAMILY_UNKNOWN, "", ""}));
  EXPECT_TRUE(all[1].metadata.empty());
  EXPECT_TRUE(all[2].metadata.empty());

  size_t seen = all.size();
  server.set(200, "# HELP a_total Things finished.\n# TYPE a_total counter\na_total 1\n");
  int changed = waitFor(fake, seen, [](const auto& b) { return !b.metadata.empty(); });
  ASSERT_GE(changed, 0);
  EXPECT_EQ(fake.emitted()[changed].metadata[0].help, "Things finished.");

  fake.setEmitStatus(STRATA_RETRY);
  server.set(200, "# HELP a_total Again.\na_total 1\n");
  int refused = waitFor(fake, changed + 1, [](const auto& b) { return !b.metadata.empty(); });
  ASSERT_GE(refused, 0);
  fake.setEmitStatus(STRATA_OK);
  int resent = waitFor(fake, refused + 1, [](const auto& b) { return !b.metadata.empty(); });
  ASSERT_GE(resent, 0);
  EXPECT_EQ(fake.emitted()[resent].metadata[0].help, "Again.");
  r.stop();
  EXPECT_GE(fake.metric("strata_scrape_metadata_sent_total"), 2 + 2);
}

TEST(ScrapeReceiverTest, RetryHeldOnceThenDropped) {
  testing::TestServer server;
  server.set(200, "a 1\n");
  strata::testing::YamlConfig cfg(
      "scrape_interval: 100ms\nscrape_timeout: 100ms\nscrape_configs:\n  - job_name: t\n"
      "    static_configs: [{targets: ['127.0.0.1:" +
          std::to_string(server.port()) + "']}]\n",
      kReceiverOptions);
  ASSERT_TRUE(cfg.ok());
  strata::testing::FakeHost fake;
  fake.setEmitStatus(STRATA_RETRY);
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(3, 10s));
  r.stop();
  auto all = fake.emitted();
  EXPECT_EQ(all[0].samples, 6u);   // a + 5 report series
  EXPECT_EQ(all[1].samples, 12u);  // held scrape + this one
  EXPECT_EQ(all[2].samples, 12u);  // the held part was dropped, not carried twice
  EXPECT_GE(fake.metric("strata_scrape_samples_dropped_total"), 6);
}

TEST(ScrapeReceiverTest, FileSdChangesAreFollowed) {
  testing::TestServer a, b;
  a.set(200, "from_a 1\n");
  b.set(200, "from_b 1\n");
  std::string file = ::testing::TempDir() + "/scrape_sd_test.json";
  auto write = [&](int port) {
    std::ofstream out(file, std::ios::trunc);
    out << "[{\"targets\": [\"127.0.0.1:" << port << "\"], \"labels\": {\"sd\": \"file\"}}]";
  };
  write(a.port());
  strata::testing::YamlConfig cfg(
      "scrape_interval: 100ms\nscrape_timeout: 100ms\n"
      "scrape_configs:\n  - job_name: f\n"
      "    file_sd_configs: [{files: ['" +
          file + "']}]\n",
      kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  int got_a = waitFor(fake, 0, [](const auto& x) { return contains(x.lines, "from_a{"); });
  ASSERT_GE(got_a, 0);
  EXPECT_TRUE(contains(fake.emitted()[got_a].lines, "sd=\"file\""));
  write(b.port());
  int got_b = waitFor(fake, got_a, [](const auto& x) { return contains(x.lines, "from_b{"); });
  ASSERT_GE(got_b, 0);
  // Target a went away: its series and report series were marked stale.
  int gone = waitFor(fake, 0, [](const auto& x) {
    return contains(x.lines, "from_a{") && contains(x.lines, "NaN");
  });
  EXPECT_GE(gone, 0);
  r.stop();
}

}  // namespace
}  // namespace strata::scrape
