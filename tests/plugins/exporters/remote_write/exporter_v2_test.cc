// The remote_write exporter speaking remote write 2.0 to a loopback sink that decodes with
// the receivers' own 2.0 decoder: headers, every sample, partial writes, 415, and a queue
// written under 1.0 sent after switching to 2.0.
#include <gtest/gtest.h>

#include "fake_host.h"
#include "loopback_sink.h"
#include "remote_write_exporter.h"
#include "request_body.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using strata::testing::FakeHost;
using testing::eventually;
using testing::freshDir;
using testing::LoopbackSink;
using testing::makeBatch;
using testing::testConfig;

constexpr const char* kSent = "strata_remote_write_samples_sent_total";
constexpr const char* kFailed = "strata_remote_write_samples_failed_total";

ExporterConfig v2Config(const std::string& url, const std::string& dir) {
  auto c = testConfig(url, dir);
  c.protocol = "2.0";
  return c;
}

TEST(RemoteWriteExporterV2Test, SendsEverySampleAsAWriteV2Request) {
  LoopbackSink sink;
  FakeHost fake;
  auto cfg = v2Config(sink.url(), freshDir());
  cfg.queue_config.max_samples_per_send = 7;  // several requests, series split across them
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(3, 10, 1000)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(30, std::chrono::seconds(10)));
  auto got = sink.accepted();
  ASSERT_EQ(got.size(), 30u);
  std::map<std::string, std::vector<int64_t>> by_series;
  for (const auto& s : got) {
    EXPECT_EQ(s.value, static_cast<double>(s.ts));
    by_series[s.series].push_back(s.ts);
  }
  ASSERT_EQ(by_series.size(), 3u);
  for (const auto& [series, ts] : by_series) {
    ASSERT_EQ(ts.size(), 10u) << series;
    for (size_t k = 0; k < ts.size(); ++k) EXPECT_EQ(ts[k], 1000 + int64_t(k)) << series;
  }
  EXPECT_EQ(by_series.count("m{s=\"2\"}"), 1u);
  auto h = sink.lastHeaders();
  EXPECT_EQ(h["Content-Type"], "application/x-protobuf;proto=io.prometheus.write.v2.Request");
  EXPECT_EQ(h["Content-Encoding"], "snappy");
  EXPECT_EQ(h["X-Prometheus-Remote-Write-Version"], "2.0.0");
  EXPECT_TRUE(eventually([&] { return fake.metric(kSent) == 30; }));
  EXPECT_EQ(fake.metric(kFailed), 0);
  e.stop();
}

TEST(RemoteWriteExporterV2Test, PartialWriteCountsTheDifferenceAsFailedWithoutRetry) {
  LoopbackSink sink;
  sink.reportWritten(4);
  FakeHost fake;
  RemoteWriteExporter e(fake.host(), v2Config(sink.url(), freshDir()));
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(2, 5, 1)), STRATA_OK);
  ASSERT_TRUE(eventually([&] { return fake.metric(kFailed) == 6; }));
  EXPECT_EQ(fake.metric(kSent), 4);
  EXPECT_EQ(sink.requests(), 1u) << "a 2xx is never retried";
  EXPECT_TRUE(eventually([&] { return e.queueStats().entries == 0; }));
  e.stop();
}

TEST(RemoteWriteExporterV2Test, MissingWrittenHeaderMeansTheReceiverIgnored2) {
  LoopbackSink sink;
  sink.reportWritten(-2);
  FakeHost fake;
  RemoteWriteExporter e(fake.host(), v2Config(sink.url(), freshDir()));
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 3, 1)), STRATA_OK);
  ASSERT_TRUE(eventually([&] { return fake.metric(kFailed) == 3; }));
  EXPECT_EQ(fake.metric(kSent), 0);
  e.stop();
}

TEST(RemoteWriteExporterV2Test, UnsupportedMediaTypeIsLoggedAndCounted) {
  LoopbackSink sink;
  sink.script({415});
  FakeHost fake;
  RemoteWriteExporter e(fake.host(), v2Config(sink.url(), freshDir()));
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 3, 1)), STRATA_OK);
  ASSERT_TRUE(eventually([&] { return fake.metric(kFailed) == 3; }));
  EXPECT_EQ(sink.requests(), 1u) << "no retry and no silent downgrade to 1.0";
  bool logged = false;
  for (const auto& line : fake.logs())
    logged = logged || line.find("does not accept remote write 2.0") != std::string::npos;
  EXPECT_TRUE(logged);
  e.stop();
}

TEST(RemoteWriteExporterV2Test, EntriesQueuedUnder1SendAfterSwitchingTo2) {
  auto dir = freshDir();
  FakeHost fake;
  auto dead = testConfig(testing::deadUrl(), dir);  // protocol 1.0, nobody listening
  dead.remote_timeout = Millis(300);
  auto first = std::make_unique<RemoteWriteExporter>(fake.host(), dead);
  ASSERT_EQ(first->start(), STRATA_OK);
  for (int b = 0; b < 3; ++b) ASSERT_EQ(first->consume(makeBatch(2, 2, 10 * b)), STRATA_OK);
  first->drain();

  LoopbackSink sink;
  RemoteWriteExporter second(fake.host(), v2Config(sink.url(), dir));
  ASSERT_EQ(second.adopt(*first), STRATA_OK);
  ASSERT_EQ(second.start(), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(12, std::chrono::seconds(10)));
  EXPECT_EQ(sink.accepted().size(), 12u);
  EXPECT_NE(sink.lastHeaders()["Content-Type"].find("io.prometheus.write.v2.Request"),
            std::string::npos);
  second.stop();
  first.reset();
}

TEST(RequestBodyTest, CorruptPayloadThrowsFor2) {
  EXPECT_THROW(requestBody("\xff\xff\xff", Protocol::k2), std::runtime_error);
  uint64_t n = 99;
  EXPECT_NO_THROW(requestBody("", Protocol::k2, &n));
  EXPECT_EQ(n, 0u);
}

}  // namespace
}  // namespace strata::rwexporter
