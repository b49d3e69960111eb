// Remote write 2.0 codec: round trip through the symbol table, and each rejection.
#include "prompb/write_v2_codec.h"

#include <gtest/gtest.h>

#include "prompb/sample_line.h"
#include "prompb/snappy_body.h"
#include "proto/write_v2.pb.h"

namespace strata::prompb {
namespace {

namespace v2 = io::prometheus::write::v2;

std::string body(const v2::Request& rq) { return compress(rq.SerializeAsString()); }

bool decode(const std::string& b, std::string* lines, DecodeError* error,
            DecodeLimits limits = {}) {
  sdk::BatchBuilder out("t");
  DecodeStats stats;
  if (!decodeWriteV2Request(b, limits, out, &stats, error)) return false;
  sdk::OwnedBatch batch(out.finish());
  *lines = "";
  appendBatchLines(*lines, batch.view());
  return true;
}

v2::Request request(std::vector<std::string> symbols, std::vector<uint32_t> refs) {
  v2::Request rq;
  for (auto& s : symbols) rq.add_symbols(s);
  auto* ts = rq.add_timeseries();
  for (auto r : refs) ts->add_labels_refs(r);
  auto* s = ts->add_samples();
  s->set_timestamp(5);
  s->set_value(1.5);
  return rq;
}

TEST(WriteV2Codec, RoundTripSharesSymbolsAndKeepsSamples) {
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", "up"}, {"job", "a"}});
  b.addSample(1, 1);
  b.beginSeries({{"__name__", "up"}, {"job", "b"}});
  b.addSample(2, sdk::staleNaN());
  sdk::OwnedBatch in(b.finish());
  std::string encoded = encodeWriteV2Request(in.view());

  std::string raw, why;
  ASSERT_EQ(uncompressBounded(encoded, 1 << 20, &raw, &why), SnappyResult::kOk);
  v2::Request rq;
  ASSERT_TRUE(rq.ParseFromString(raw));
  EXPECT_EQ(rq.symbols(0), "");
  EXPECT_EQ(rq.symbols_size(), 6);  // "", __name__, up, job, a, b: each once

  std::string lines, expected;
  DecodeError error;
  ASSERT_TRUE(decode(encoded, &lines, &error)) << error.message;
  appendBatchLines(expected, in.view());
  EXPECT_EQ(lines, expected);
}

TEST(WriteV2Codec, RejectsBadReferencesAndLabels) {
  std::string lines;
  DecodeError error;
  EXPECT_FALSE(decode(body(request({"", "__name__", "m"}, {1, 7})), &lines, &error));
  EXPECT_EQ(error.reason, "bad_symbol_ref");
  EXPECT_NE(error.message.find("series 0: label reference 7"), std::string::npos) << error.message;
  EXPECT_FALSE(decode(body(request({"", "__name__", "m"}, {1, 2, 1})), &lines, &error));
  EXPECT_EQ(error.reason, "bad_symbol_ref");
  EXPECT_FALSE(decode(body(request({"x", "__name__", "m"}, {1, 2})), &lines, &error));
  EXPECT_EQ(error.message, "symbols[0] must be the empty string");
  EXPECT_FALSE(decode(body(request({"", "job", "m"}, {1, 2})), &lines, &error));
  EXPECT_EQ(error.reason, "missing_metric_name");
  EXPECT_FALSE(decode(body(request({"", "__name__", "m", "1bad"}, {1, 2, 3, 2})), &lines, &error));
  EXPECT_EQ(error.reason, "invalid_label_name");
  EXPECT_FALSE(decode("garbage", &lines, &error));
  EXPECT_EQ(error.reason, "snappy");
  DecodeLimits one_series;
  one_series.max_series = 1;
  auto two = request({"", "__name__", "m"}, {1, 2});
  *two.add_timeseries() = two.timeseries(0);
  EXPECT_FALSE(decode(body(two), &lines, &error, one_series));
  EXPECT_EQ(error.reason, "too_many_series");
}

TEST(WriteV2Codec, EncodesMetricTypesAsMetadata) {
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", "req_total"}});
  b.addSample(1, 1);
  b.beginSeries({{"__name__", "temp"}});
  b.addSample(1, 2);
  b.beginSeries({{"__name__", "other"}});
  b.addSample(1, 3);
  sdk::OwnedBatch in(b.finish());
  const MetricTypeV2 types[] = {MetricTypeV2::kCounter, MetricTypeV2::kGauge,
                                MetricTypeV2::kUnspecified};
  std::string raw, why;
  ASSERT_EQ(uncompressBounded(encodeWriteV2Request(in.view(), types), 1 << 20, &raw, &why),
            SnappyResult::kOk);
  v2::Request rq;
  ASSERT_TRUE(rq.ParseFromString(raw));
  ASSERT_EQ(rq.timeseries_size(), 3);
  EXPECT_EQ(rq.timeseries(0).metadata().type(), v2::Metadata::METRIC_TYPE_COUNTER);
  EXPECT_EQ(rq.timeseries(1).metadata().type(), v2::Metadata::METRIC_TYPE_GAUGE);
  EXPECT_FALSE(rq.timeseries(2).has_metadata());
  EXPECT_EQ(rq.timeseries(0).metadata().help_ref(), 0u);  // no help or unit: the "" symbol

  // Without types no series has metadata; a type list of the wrong length is refused.
  ASSERT_EQ(uncompressBounded(encodeWriteV2Request(in.view()), 1 << 20, &raw, &why),
            SnappyResult::kOk);
  ASSERT_TRUE(rq.ParseFromString(raw));
  for (const auto& ts : rq.timeseries()) EXPECT_FALSE(ts.has_metadata());
  EXPECT_THROW(encodeWriteV2Request(in.view(), std::span(types, 2)), std::invalid_argument);
}

}  // namespace
}  // namespace strata::prompb
