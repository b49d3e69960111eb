// The remote_write exporter end to end against a loopback sink: encoding and headers,
// retries, drops, per-series order, the queue bound, and resuming a queue after a restart.
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>

#include <map>

#include "fake_host.h"
#include "loopback_sink.h"
#include "remote_write_exporter.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using strata::testing::FakeHost;
using testing::eventually;
using testing::freshDir;
using testing::LoopbackSink;
using testing::makeBatch;
using testing::testConfig;

constexpr const char* kDropped = "strata_remote_write_samples_dropped_total";

TEST(RemoteWriteExporterTest, SendsSnappyProtobufWithHeaders) {
  LoopbackSink sink;
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.http.headers["X-Scope-OrgID"] = "team-a";
  cfg.http.auth_credentials = "tok";
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(2, 3, 1000)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(6, std::chrono::seconds(10)));
  auto got = sink.accepted();
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0].series, "m{s=\"0\"}");
  EXPECT_EQ(got[0].ts, 1000);
  EXPECT_EQ(got[5].series, "m{s=\"1\"}");
  EXPECT_EQ(got[5].value, 1002.0);
  auto h = sink.lastHeaders();
  EXPECT_EQ(h["Content-Encoding"], "snappy");
  EXPECT_EQ(h["Content-Type"], "application/x-protobuf");
  EXPECT_EQ(h["X-Prometheus-Remote-Write-Version"], "0.1.0");
  EXPECT_EQ(h["X-Scope-OrgID"], "team-a");
  EXPECT_EQ(h["Authorization"], "Bearer tok");
  EXPECT_NE(h["User-Agent"].find("strata"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return e.queueStats().entries == 0; }));
  EXPECT_TRUE(
      eventually([&] { return fake.metric("strata_remote_write_samples_sent_total") == 6; }));
  EXPECT_EQ(fake.metric("strata_remote_write_samples_in_total"), 6);
  EXPECT_EQ(fake.metric("strata_remote_write_shards"), 1);
  e.stop();
}

TEST(RemoteWriteExporterTest, RetriesServerErrorsAnd429) {
  LoopbackSink sink;
  sink.script({500, 429, 503});
  FakeHost fake;
  RemoteWriteExporter e(fake.host(), testConfig(sink.url(), freshDir()));
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 4, 1)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(4, std::chrono::seconds(10)));
  EXPECT_EQ(sink.requests(), 4u);
  EXPECT_EQ(sink.accepted().size(), 4u) << "the same body, delivered once";
  EXPECT_TRUE(
      eventually([&] { return fake.metric("strata_remote_write_samples_sent_total") == 4; }));
  EXPECT_EQ(fake.metric("strata_remote_write_samples_retried_total"), 12);
  EXPECT_EQ(fake.metric("strata_remote_write_samples_failed_total"), 0);
  e.stop();
}

TEST(RemoteWriteExporterTest, DropsAndCounts4xx) {
  LoopbackSink sink;
  sink.script({400});
  FakeHost fake;
  RemoteWriteExporter e(fake.host(), testConfig(sink.url(), freshDir()));
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 3, 1)), STRATA_OK);
  ASSERT_TRUE(
      eventually([&] { return fake.metric("strata_remote_write_samples_failed_total") == 3; }));
  EXPECT_TRUE(eventually([&] { return e.queueStats().entries == 0; }));
  ASSERT_EQ(e.consume(makeBatch(1, 2, 10)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(2, std::chrono::seconds(10)));
  EXPECT_EQ(sink.requests(), 2u) << "a 4xx is never retried";
  EXPECT_EQ(sink.accepted()[0].ts, 10);
  e.stop();
}

TEST(RemoteWriteExporterTest, Drops429WhenNotRetrying) {
  LoopbackSink sink;
  sink.script({429});
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.queue_config.retry_on_http_429 = false;
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 2, 1)), STRATA_OK);
  EXPECT_TRUE(
      eventually([&] { return fake.metric("strata_remote_write_samples_failed_total") == 2; }));
  EXPECT_EQ(sink.requests(), 1u);
  e.stop();
}

TEST(RemoteWriteExporterTest, KeepsPerSeriesOrderAcrossShardsAndRetries) {
  LoopbackSink sink;
  sink.script({500, 200, 500, 500, 200, 503});
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.queue_config.min_shards = 4;
  cfg.queue_config.max_samples_per_send = 7;
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  constexpr int kSeries = 20, kBatches = 50;
  for (int b = 0; b < kBatches; ++b) ASSERT_EQ(e.consume(makeBatch(kSeries, 1, b)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(kSeries * kBatches, std::chrono::seconds(20)));
  std::map<std::string, int64_t> last;
  for (const auto& s : sink.accepted()) {
    auto it = last.find(s.series);
    if (it != last.end()) {
      EXPECT_EQ(s.ts, it->second + 1) << s.series;
    }
    last[s.series] = s.ts;
  }
  EXPECT_EQ(last.size(), static_cast<size_t>(kSeries));
  EXPECT_EQ(sink.accepted().size(), static_cast<size_t>(kSeries * kBatches));
  EXPECT_EQ(fake.metric("strata_remote_write_shards"), 4);
  e.stop();
}

TEST(RemoteWriteExporterTest, FullQueueDropsOldestAndCountsIt) {
  FakeHost fake;
  auto cfg = testConfig(testing::deadUrl(), freshDir());
  cfg.queue.max_bytes = 4096;
  // One batch per request: the shard's lease (retrying against the dead peer) then pins one
  // entry, never the whole queue; a lease holding every entry would make the queue answer
  // RETRY ("every older entry is being sent") instead of dropping the oldest.
  cfg.queue_config.max_samples_per_send = 10;
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  constexpr int kBatches = 100;
  for (int b = 0; b < kBatches; ++b) ASSERT_EQ(e.consume(makeBatch(5, 2, 2 * b)), STRATA_OK);
  auto stats = e.queueStats();
  double dropped = fake.metric(kDropped, "reason=queue_full");
  EXPECT_GT(dropped, 0);
  EXPECT_LE(stats.bytes, 4096u);
  EXPECT_EQ(fake.metric("strata_remote_write_samples_in_total"), kBatches * 10);
  // Nothing reached the dead peer, so every sample is either queued or counted as dropped.
  EXPECT_EQ(dropped + static_cast<double>(stats.samples), kBatches * 10);
  EXPECT_LE(fake.metric("strata_remote_write_queue_bytes"), 4096);
  e.stop();
}

TEST(RemoteWriteExporterTest, ResumesTheQueueAfterRestartAndAdopt) {
  auto dir = freshDir();
  FakeHost fake;
  auto dead = testConfig(testing::deadUrl(), dir);
  dead.remote_timeout = Millis(300);  // also bounds how long drain() waits for the dead peer
  auto first = std::make_unique<RemoteWriteExporter>(fake.host(), dead);
  ASSERT_EQ(first->start(), STRATA_OK);
  for (int b = 0; b < 5; ++b) ASSERT_EQ(first->consume(makeBatch(3, 2, 10 * b)), STRATA_OK);
  EXPECT_EQ(first->queueStats().samples, 30u);
  first->drain();
  EXPECT_EQ(first->consume(makeBatch(1, 1, 99)), STRATA_RETRY) << "draining refuses input";

  LoopbackSink sink;
  RemoteWriteExporter second(fake.host(), testConfig(sink.url(), dir));
  ASSERT_EQ(second.adopt(*first), STRATA_OK);  // closes the first one's database
  ASSERT_EQ(second.start(), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(30, std::chrono::seconds(10)));
  EXPECT_EQ(sink.accepted().size(), 30u);
  EXPECT_EQ(sink.accepted().front().ts, 0);
  EXPECT_TRUE(eventually([&] { return second.queueStats().entries == 0; }));
  second.stop();
  first.reset();
}

}  // namespace

std::string testing::deadUrl() {
  // Bind, note the port, close: nothing listens there for the rest of the test.
  int port;
  {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    port = s.address().port();
  }
  return "http://127.0.0.1:" + std::to_string(port) + "/api/v1/write";
}

}  // namespace strata::rwexporter
