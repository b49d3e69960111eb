// Metric metadata out: 1.0 sends it in requests of its own every send_interval (at most
// max_samples_per_send entries each, as Prometheus' metadata_config), never inside the
// sample requests; 2.0 attaches it to each series of its family; send: false sends none.
#include <gtest/gtest.h>

#include "fake_host.h"
#include "loopback_sink.h"
#include "metadata_sender.h"
#include "remote_write_exporter.h"
#include "test_util.h"

namespace strata::rwexporter {
namespace {

using sdk::MetricMetadata;
using strata::testing::FakeHost;
using testing::eventually;
using testing::freshDir;
using testing::LoopbackSink;
using testing::makeBatch;
using testing::testConfig;

strata_metrics_batch* metadataBatch(std::vector<MetricMetadata> items) {
  sdk::BatchBuilder b;
  for (const auto& m : items) b.addMetadata(m.family, m.type, m.help, m.unit);
  return b.finish();
}

const MetricMetadata kM{"m", STRATA_FAMILY_COUNTER, "Things.", ""};
const MetricMetadata kUp{"up", STRATA_FAMILY_GAUGE, "1 if up.", ""};
const MetricMetadata kZ{"z_seconds", STRATA_FAMILY_HISTOGRAM, "Zed.", "seconds"};

TEST(RemoteWriteMetadataTest, V1SendsMetadataOnlyRequestsPeriodically) {
  LoopbackSink sink;
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.metadata_config.send_interval = Millis(50);
  cfg.metadata_config.max_samples_per_send = 2;
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(metadataBatch({kUp, kM, kZ})), STRATA_OK);  // metadata only: not queued
  EXPECT_EQ(e.queueStats().entries, 0u);
  ASSERT_EQ(e.consume(makeBatch(2, 3, 1000)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(6, std::chrono::seconds(10)));
  // Two intervals: 3 entries in requests of at most 2, twice.
  ASSERT_TRUE(
      eventually([&] { return fake.metric("strata_remote_write_metadata_sent_total") >= 6; }));
  e.stop();
  std::vector<MetricMetadata> first;
  size_t metadata_requests = 0;
  for (const auto& r : sink.acceptedRequests()) {
    if (r.metadata.empty()) continue;
    ++metadata_requests;
    EXPECT_EQ(r.samples, 0u) << "metadata travels in requests of its own";
    EXPECT_LE(r.metadata.size(), 2u);
    if (first.size() < 3) first.insert(first.end(), r.metadata.begin(), r.metadata.end());
  }
  EXPECT_GE(metadata_requests, 4u);
  EXPECT_EQ(first, (std::vector<MetricMetadata>{kM, kUp, kZ}));  // sorted by family
  EXPECT_EQ(sink.lastHeaders()["Content-Type"],
            "application/x-protobuf");  // as Prometheus 2.42 sends 1.0
}

TEST(RemoteWriteMetadataTest, V1SendFalseSendsNone) {
  LoopbackSink sink;
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.metadata_config.send = false;
  cfg.metadata_config.send_interval = Millis(10);
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(metadataBatch({kUp})), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(1, 1, 1)), STRATA_OK);
  ASSERT_TRUE(sink.waitAccepted(1, std::chrono::seconds(10)));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  e.stop();
  for (const auto& r : sink.acceptedRequests()) EXPECT_TRUE(r.metadata.empty());
}

TEST(RemoteWriteMetadataTest, V2AttachesMetadataPerSeries) {
  LoopbackSink sink;
  FakeHost fake;
  auto cfg = testConfig(sink.url(), freshDir());
  cfg.protocol = "2.0";
  RemoteWriteExporter e(fake.host(), cfg);
  ASSERT_EQ(e.start(), STRATA_OK);
  ASSERT_EQ(e.consume(metadataBatch({kM, kZ})), STRATA_OK);
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", "z_seconds_bucket"}, {"le", "+Inf"}});
  b.addSample(5, 1);
  ASSERT_EQ(e.consume(b.finish()), STRATA_OK);
  ASSERT_EQ(e.consume(makeBatch(2, 1, 10)), STRATA_OK);  // m{s="0"}, m{s="1"}
  ASSERT_TRUE(sink.waitAccepted(3, std::chrono::seconds(10)));
  e.stop();
  std::vector<MetricMetadata> got;
  for (const auto& r : sink.acceptedRequests()) {
    EXPECT_GT(r.samples, 0u) << "2.0 sends no metadata-only requests";
    got.insert(got.end(), r.metadata.begin(), r.metadata.end());
  }
  EXPECT_EQ(got, (std::vector<MetricMetadata>{kZ, kM}));
  EXPECT_EQ(fake.metric("strata_remote_write_metadata_sent_total"), -1);  // no 1.0 sender: absent
}

TEST(RemoteWriteMetadataTest, RequestsSplitByMaxSamplesPerSend) {
  std::vector<MetricMetadata> five(5, kUp);
  EXPECT_EQ(metadataRequests(five, 2).size(), 3u);
  EXPECT_EQ(metadataRequests(five, 5).size(), 1u);
  EXPECT_TRUE(metadataRequests({}, 5).empty());
}

}  // namespace
}  // namespace strata::rwexporter
