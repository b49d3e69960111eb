// Acknowledgement on delivery: scrapes are emitted with STRATA_BATCH_ACK_ON_DELIVERY unless
// `ack: accepted`, RETRY still holds the scrape's samples for the next one, and a downstream
// that takes long to acknowledge one target's batch does not hold up the other targets, even
// with a single scrape worker.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
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

std::string oneTarget(int port, const std::string& extra = "") {
  return "scrape_interval: 100ms\nscrape_timeout: 100ms\n" + extra +
         "scrape_configs:\n  - job_name: t\n    static_configs: [{targets: ['127.0.0.1:" +
         std::to_string(port) + "']}]\n";
}

TEST(ScrapeAckTest, FlagSetByDefault) {
  testing::TestServer server;
  server.set(200, "a 1\n");
  strata::testing::YamlConfig cfg(oneTarget(server.port()), kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(2, 10s));
  r.stop();
  for (const auto& b : fake.emitted()) EXPECT_EQ(b.flags, STRATA_BATCH_ACK_ON_DELIVERY);
}

TEST(ScrapeAckTest, AcceptedTurnsItOff) {
  testing::TestServer server;
  server.set(200, "a 1\n");
  strata::testing::YamlConfig cfg(oneTarget(server.port(), "ack: accepted\n"), kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(2, 10s));
  r.stop();
  for (const auto& b : fake.emitted()) EXPECT_EQ(b.flags, 0u);
}

TEST(ScrapeAckTest, BadValueIsAnError) {
  strata::testing::YamlConfig cfg(oneTarget(1, "ack: sometimes\n"), kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  EXPECT_ANY_THROW(ScrapeReceiver(fake.host(), cfg.view()));
}

// A RETRY (not delivered in time, queue full) keeps the scrape's samples: they go again, with
// the flag, together with the next scrape.
TEST(ScrapeAckTest, RetryKeepsTheSamples) {
  testing::TestServer server;
  server.set(200, "a 1\n");
  strata::testing::YamlConfig cfg(oneTarget(server.port()), kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  fake.setEmitStatus(STRATA_RETRY);
  std::atomic<int> calls{0};
  fake.setEmitHook([&](const auto&) {
    if (++calls == 2) fake.setEmitStatus(STRATA_OK);  // only the first emit is refused
  });
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  ASSERT_TRUE(fake.waitForEmits(3, 10s));
  r.stop();
  auto all = fake.emitted();
  EXPECT_EQ(all[0].samples, 6u);   // a + 5 report series: RETRY
  EXPECT_EQ(all[1].samples, 12u);  // the held scrape and this one
  EXPECT_EQ(all[2].samples, 6u);   // accepted: nothing held any more
  for (const auto& b : all) EXPECT_EQ(b.flags, STRATA_BATCH_ACK_ON_DELIVERY);
  EXPECT_EQ(fake.metric("strata_scrape_samples_retried_total"), 6);
  EXPECT_EQ(fake.metric("strata_scrape_samples_dropped_total"), 0);
}

// One worker, two targets; the downstream sits on target a's batches for 1.5 s. Target b keeps
// its 100 ms schedule meanwhile, and target a is not scraped again until its batch is answered
// (its missed slots are skipped, not queued up).
TEST(ScrapeAckTest, SlowDeliveryDoesNotStallOtherTargets) {
  testing::TestServer a, b;
  a.set(200, "from_a 1\n");
  b.set(200, "from_b 1\n");
  strata::testing::YamlConfig cfg(
      "scrape_interval: 100ms\nscrape_timeout: 100ms\nworkers: 1\nscrape_configs:\n"
      "  - job_name: t\n    static_configs: [{targets: ['127.0.0.1:" +
          std::to_string(a.port()) + "', '127.0.0.1:" + std::to_string(b.port()) + "']}]\n",
      kReceiverOptions);
  ASSERT_TRUE(cfg.ok()) << cfg.errors()[0];
  strata::testing::FakeHost fake;
  std::mutex mu;
  std::condition_variable cv;
  bool a_blocked = false, release = false;
  fake.setEmitHook([&](const strata::testing::EmittedBatch& batch) {
    if (!contains(batch.lines, "from_a{")) return;
    std::unique_lock<std::mutex> lock(mu);
    if (a_blocked) return;  // only the first batch of a is slow
    a_blocked = true;
    cv.notify_all();
    cv.wait_for(lock, 10s, [&] { return release; });
  });
  ScrapeReceiver r(fake.host(), cfg.view());
  ASSERT_EQ(r.start(), STRATA_OK);
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return a_blocked; }));
  }
  auto count = [&](const char* what) {
    int n = 0;
    for (const auto& x : fake.emitted()) n += contains(x.lines, what);
    return n;
  };
  int b_before = count("from_b{");
  std::this_thread::sleep_for(1500ms);
  int b_during = count("from_b{") - b_before;
  int a_during = count("from_a{");
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  std::this_thread::sleep_for(300ms);
  r.stop();
  EXPECT_GE(b_during, 10) << "b was scraped " << b_during << " times in 1.5 s";
  EXPECT_EQ(a_during, 0) << "a's blocked batch is not recorded until it is answered";
  int a_after = count("from_a{");
  EXPECT_GE(a_after, 2);  // the slow one, then a resumes
  EXPECT_LE(a_after, 5);  // the 15 missed slots were skipped, not caught up
}

}  // namespace
}  // namespace strata::scrape
