// Metric family metadata through the remote write codecs: 1.0 MetricMetadata (Prometheus sends
// it in requests of its own) and 2.0 per-series metadata, decoded into the batch's metadata
// table and encoded back from it.
#include <gtest/gtest.h>

#include "prompb/series_check.h"
#include "prompb/snappy_body.h"
#include "prompb/write_request_decoder.h"
#include "prompb/write_v2_codec.h"
#include "proto/remote.pb.h"
#include "proto/write_v2.pb.h"

namespace strata::prompb {
namespace {

namespace v2 = io::prometheus::write::v2;
using sdk::MetricMetadata;

std::vector<MetricMetadata> metadataOf(const sdk::BatchView& v) {
  std::vector<MetricMetadata> out;
  for (size_t i = 0; i < v.metadataCount(); ++i) out.push_back(MetricMetadata::of(v.metadata(i)));
  return out;
}

TEST(MetadataCodec, V1MetadataOnlyRequest) {
  prometheus::WriteRequest rq;
  auto* m = rq.add_metadata();
  m->set_type(prometheus::MetricMetadata::COUNTER);
  m->set_metric_family_name("node_cpu_seconds_total");
  m->set_help("Seconds the CPUs spent in each mode.");
  m = rq.add_metadata();
  m->set_type(prometheus::MetricMetadata::GAUGE);
  m->set_metric_family_name("node_memory_MemFree_bytes");
  m->set_help("Memory information field MemFree_bytes.");
  m->set_unit("bytes");
  rq.add_metadata()->set_help("no family: skipped");
  sdk::BatchBuilder out;
  DecodeStats stats;
  DecodeError error;
  ASSERT_TRUE(decodeWriteRequest(compress(rq.SerializeAsString()), {}, out, &stats, &error))
      << error.message;
  EXPECT_EQ(stats.metadata, 2u);
  EXPECT_EQ(stats.series, 0u);
  sdk::OwnedBatch b(out.finish());
  EXPECT_EQ(metadataOf(b.view()),
            (std::vector<MetricMetadata>{{"node_cpu_seconds_total", STRATA_FAMILY_COUNTER,
                                          "Seconds the CPUs spent in each mode.", ""},
                                         {"node_memory_MemFree_bytes", STRATA_FAMILY_GAUGE,
                                          "Memory information field MemFree_bytes.", "bytes"}}));
}

TEST(MetadataCodec, V1MetadataBesideSeries) {
  prometheus::WriteRequest rq;
  auto* ts = rq.add_timeseries();
  auto* l = ts->add_labels();
  l->set_name("__name__");
  l->set_value("up");
  auto* s = ts->add_samples();
  s->set_value(1);
  s->set_timestamp(5);
  auto* m = rq.add_metadata();
  m->set_type(prometheus::MetricMetadata::GAUGE);
  m->set_metric_family_name("up");
  sdk::BatchBuilder out;
  DecodeStats stats;
  DecodeError error;
  ASSERT_TRUE(decodeWriteRequest(compress(rq.SerializeAsString()), {}, out, &stats, &error));
  sdk::OwnedBatch b(out.finish());
  EXPECT_EQ(b.view().seriesCount(), 1u);
  EXPECT_EQ(metadataOf(b.view()),
            (std::vector<MetricMetadata>{{"up", STRATA_FAMILY_GAUGE, "", ""}}));
}

// A batch with two series of one histogram family and a gauge, metadata for both families.
strata_metrics_batch* sampleBatch() {
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", "rpc_seconds_bucket"}, {"le", "1"}});
  b.addSample(1000, 3);
  b.beginSeries({{"__name__", "rpc_seconds_count"}});
  b.addSample(1000, 3);
  b.beginSeries({{"__name__", "temp_celsius"}});
  b.addSample(1000, 21.5);
  b.beginSeries({{"__name__", "no_metadata"}});
  b.addSample(1000, 0);
  b.addMetadata("rpc_seconds", STRATA_FAMILY_HISTOGRAM, "RPC latency.", "seconds");
  b.addMetadata("temp_celsius", STRATA_FAMILY_GAUGE, "Temperature.", "celsius");
  return b.finish();
}

TEST(MetadataCodec, V2EncodesPerSeriesAndDecodesPerFamily) {
  sdk::OwnedBatch in(sampleBatch());
  std::string body = encodeWriteV2Request(in.view());

  std::string raw;
  DecodeError error;
  ASSERT_TRUE(uncompressRequest(body, {}, &raw, &error));
  v2::Request rq;
  ASSERT_TRUE(rq.ParseFromString(raw));
  ASSERT_EQ(rq.timeseries_size(), 4);
  auto symbol = [&](uint32_t ref) { return rq.symbols(static_cast<int>(ref)); };
  for (int i : {0, 1}) {
    ASSERT_TRUE(rq.timeseries(i).has_metadata()) << i;
    EXPECT_EQ(rq.timeseries(i).metadata().type(), v2::Metadata::METRIC_TYPE_HISTOGRAM);
    EXPECT_EQ(symbol(rq.timeseries(i).metadata().help_ref()), "RPC latency.");
    EXPECT_EQ(symbol(rq.timeseries(i).metadata().unit_ref()), "seconds");
  }
  EXPECT_EQ(rq.timeseries(2).metadata().type(), v2::Metadata::METRIC_TYPE_GAUGE);
  EXPECT_FALSE(rq.timeseries(3).has_metadata());

  sdk::BatchBuilder out;
  DecodeStats stats;
  ASSERT_TRUE(decodeWriteV2Request(body, {}, out, &stats, &error)) << error.message;
  EXPECT_EQ(stats.metadata, 2u);  // once per family: _bucket and _count are rpc_seconds
  sdk::OwnedBatch back(out.finish());
  EXPECT_EQ(metadataOf(back.view()),
            (std::vector<MetricMetadata>{
                {"rpc_seconds", STRATA_FAMILY_HISTOGRAM, "RPC latency.", "seconds"},
                {"temp_celsius", STRATA_FAMILY_GAUGE, "Temperature.", "celsius"}}));
}

TEST(MetadataCodec, V2BadMetadataReferenceIsRefused) {
  v2::Request rq;
  rq.add_symbols("");
  rq.add_symbols("__name__");
  rq.add_symbols("up");
  auto* ts = rq.add_timeseries();
  ts->add_labels_refs(1);
  ts->add_labels_refs(2);
  auto* s = ts->add_samples();
  s->set_value(1);
  s->set_timestamp(1);
  ts->mutable_metadata()->set_help_ref(9);
  sdk::BatchBuilder out;
  DecodeStats stats;
  DecodeError error;
  EXPECT_FALSE(decodeWriteV2Request(compress(rq.SerializeAsString()), {}, out, &stats, &error));
  EXPECT_EQ(error.reason, "bad_symbol_ref");
  EXPECT_EQ(error.message, "series 0: metadata reference 9 is outside the 3 symbols");
}

TEST(MetadataCodec, FamilyLookupStripsSampleSuffixes) {
  sdk::OwnedBatch in(sampleBatch());
  MetadataIndex index = indexMetadata(in.view());
  EXPECT_NE(metadataFor("rpc_seconds_sum", index), nullptr);
  EXPECT_NE(metadataFor("temp_celsius", index), nullptr);
  EXPECT_EQ(metadataFor("temp", index), nullptr);
  EXPECT_EQ(metadataFor("_sum", index), nullptr);
}

}  // namespace
}  // namespace strata::prompb
