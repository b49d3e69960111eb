// Remote write codec: round trip, every rejection, the snappy length bomb, and a fuzz-ish loop
// over random and damaged bodies that must neither crash nor allocate beyond the cap.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "alloc_tracker.h"
#include "prompb/sample_line.h"
#include "prompb/snappy_body.h"
#include "prompb/write_request_decoder.h"
#include "prompb/write_request_encoder.h"
#include "proto/remote.pb.h"

namespace strata::prompb {
namespace {

strata_metrics_batch* sampleBatch() {
  sdk::BatchBuilder b("tenant-a");
  b.beginSeries({{"job", "api"}, {"__name__", "http_requests_total"}, {"code", "200"}});
  b.addSample(1000, 1);
  b.addSample(2000, 2.5);
  b.addSample(3000, sdk::staleNaN());
  b.beginSeries({{"__name__", "temperature"}, {"room", "k\"itchen\\\n"}});
  b.addSample(1500, -INFINITY);
  b.addSample(1600, 0.1 + 0.2);
  return b.finish();
}

std::string lines(strata_metrics_batch* raw) {
  sdk::OwnedBatch b(raw);
  std::string out;
  appendBatchLines(out, b.view());
  return out;
}

struct Decoded {
  bool ok;
  DecodeError error;
  DecodeStats stats;
  std::string lines;
};

Decoded decode(std::string_view body, const DecodeLimits& limits = {}) {
  Decoded d;
  sdk::BatchBuilder out("t");
  d.ok = decodeWriteRequest(body, limits, out, &d.stats, &d.error);
  d.lines = lines(out.finish());
  return d;
}

std::string body(const prometheus::WriteRequest& r) { return compress(r.SerializeAsString()); }

prometheus::TimeSeries* addSeries(prometheus::WriteRequest& r,
                                  std::vector<std::pair<std::string, std::string>> labels) {
  auto* ts = r.add_timeseries();
  for (auto& [n, v] : labels) {
    auto* l = ts->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  auto* s = ts->add_samples();
  s->set_timestamp(1);
  s->set_value(1);
  return ts;
}

TEST(CodecTest, RoundTripKeepsEverySampleBitExact) {
  sdk::OwnedBatch original(sampleBatch());
  std::string wire = encodeWriteRequest(original.view());
  sdk::BatchBuilder out("tenant-a");
  DecodeStats stats;
  DecodeError error;
  ASSERT_TRUE(decodeWriteRequest(wire, {}, out, &stats, &error)) << error.message;
  EXPECT_EQ(stats.series, 2u);
  EXPECT_EQ(stats.samples, 5u);
  sdk::OwnedBatch decoded(out.finish());
  ASSERT_EQ(decoded.view().sampleCount(), 5u);
  EXPECT_TRUE(sdk::isStaleNaN(decoded.view().values(0)[2]));
  EXPECT_EQ(decoded.view().series(0).hash, original.view().series(0).hash);
  std::string a, b;
  appendBatchLines(a, original.view());
  appendBatchLines(b, decoded.view());
  EXPECT_EQ(a, b);
}

TEST(CodecTest, SeriesWithoutSamplesAreCheckedButNotAdded) {
  prometheus::WriteRequest r;
  addSeries(r, {{"__name__", "a"}})->clear_samples();
  addSeries(r, {{"__name__", "b"}});
  Decoded d = decode(body(r));
  ASSERT_TRUE(d.ok);
  EXPECT_EQ(d.lines, "b 1 1\n");
}

struct Rejection {
  const char* name;
  std::vector<std::pair<std::string, std::string>> labels;
  const char* reason;
  const char* message_part;
};

TEST(CodecTest, RejectsBadLabelsNamingTheSeries) {
  const Rejection cases[] = {
      {"no name", {{"job", "x"}}, "missing_metric_name", "series 1: no __name__"},
      {"empty name", {{"__name__", ""}}, "missing_metric_name", "series 1"},
      {"digit first", {{"__name__", "m"}, {"1abc", "x"}}, "invalid_label_name", "\"1abc\""},
      {"dash", {{"__name__", "m"}, {"a-b", "x"}}, "invalid_label_name", "series 1"},
      {"empty label name", {{"__name__", "m"}, {"", "x"}}, "invalid_label_name", "series 1"},
      {"duplicate", {{"__name__", "m"}, {"a", "1"}, {"a", "2"}}, "duplicate_label", "\"a\""},
      {"bad utf8", {{"__name__", "m"}, {"a", "\xff"}}, "invalid_utf8", "label \"a\""},
      {"overlong utf8", {{"__name__", "m"}, {"a", "\xc0\xaf"}}, "invalid_utf8", "series 1"},
      {"surrogate", {{"__name__", "m"}, {"a", "\xed\xa0\x80"}}, "invalid_utf8", "series 1"},
      {"truncated utf8", {{"__name__", "m"}, {"a", "\xe2\x82"}}, "invalid_utf8", "series 1"},
  };
  for (const auto& c : cases) {
    prometheus::WriteRequest r;
    addSeries(r, {{"__name__", "fine"}});
    addSeries(r, c.labels);
    Decoded d = decode(body(r));
    EXPECT_FALSE(d.ok) << c.name;
    EXPECT_EQ(d.error.reason, c.reason) << c.name;
    EXPECT_NE(d.error.message.find(c.message_part), std::string::npos)
        << c.name << ": " << d.error.message;
    EXPECT_EQ(d.lines, "") << c.name << ": a refused request must add nothing";
    EXPECT_EQ(d.stats.samples, 2u) << c.name;
  }
}

TEST(CodecTest, AcceptsValidUtf8AndUnsortedLabels) {
  prometheus::WriteRequest r;
  addSeries(r, {{"z", "\xe2\x82\xac \xf0\x9f\x98\x80"}, {"__name__", "m"}, {"a", "1"}});
  Decoded d = decode(body(r));
  ASSERT_TRUE(d.ok) << d.error.message;
  EXPECT_EQ(d.lines, "m{a=\"1\",z=\"\xe2\x82\xac \xf0\x9f\x98\x80\"} 1 1\n");
}

TEST(CodecTest, EnforcesLimits) {
  prometheus::WriteRequest r;
  addSeries(r, {{"__name__", "m"}, {"a", "12345"}});
  addSeries(r, {{"__name__", "m"}, {"a", "1"}, {"b", "2"}, {"c", "3"}});
  DecodeLimits series;
  series.max_series = 1;
  EXPECT_EQ(decode(body(r), series).error.reason, "too_many_series");
  DecodeLimits labels;
  labels.max_label_count = 3;
  Decoded d = decode(body(r), labels);
  EXPECT_EQ(d.error.reason, "too_many_labels");
  EXPECT_NE(d.error.message.find("series 1: 4 labels"), std::string::npos) << d.error.message;
  DecodeLimits value;
  value.max_label_value_length = 4;
  d = decode(body(r), value);
  EXPECT_EQ(d.error.reason, "label_value_too_long");
  EXPECT_NE(d.error.message.find("series 0"), std::string::npos) << d.error.message;
  DecodeLimits name;
  name.max_label_name_length = 3;
  EXPECT_EQ(decode(body(r), name).error.reason, "label_name_too_long");
  DecodeLimits roomy;
  roomy.max_series = 2;
  roomy.max_label_count = 4;
  roomy.max_label_value_length = 5;
  roomy.max_label_name_length = 8;
  EXPECT_TRUE(decode(body(r), roomy).ok);
}

TEST(CodecTest, RejectsBodiesThatAreNotSnappyOrProtobuf) {
  EXPECT_EQ(decode("").error.reason, "snappy");
  EXPECT_EQ(decode("\xff\xff\xff\xff\xff\xff").error.reason, "snappy");
  EXPECT_EQ(decode("\x0a"
                   "abc")
                .error.reason,
            "snappy");  // claims 10 bytes, holds garbage
  Decoded d = decode(compress("\xff\xff\xff\xff"));
  EXPECT_EQ(d.error.reason, "protobuf");
  EXPECT_FALSE(d.error.message.empty());
}

TEST(CodecTest, LengthBombIsRefusedBeforeAllocating) {
  // A snappy header claiming 3 GB followed by a few bytes.
  std::string bomb = "\x80\xbc\xc1\x96\x0b";  // varint 3'000'000'000
  bomb += std::string("\x00\x61", 2);
  DecodeLimits limits;
  limits.max_uncompressed_bytes = 1 << 20;
  testing::resetLargestAllocation();
  Decoded d = decode(bomb, limits);
  EXPECT_FALSE(d.ok);
  EXPECT_EQ(d.error.reason, "too_large");
  EXPECT_NE(d.error.message.find("3000000000"), std::string::npos) << d.error.message;
  EXPECT_LT(testing::largestAllocation(), size_t{1} << 20);
}

TEST(CodecTest, RefusesOversizedButHonestBody) {
  prometheus::WriteRequest r;
  addSeries(r, {{"__name__", "m"}, {"a", std::string(5000, 'x')}});
  DecodeLimits limits;
  limits.max_uncompressed_bytes = 4096;
  EXPECT_EQ(decode(body(r), limits).error.reason, "too_large");
}

TEST(CodecTest, RandomAndDamagedBodiesNeverCrashOrOverAllocate) {
  std::mt19937_64 rng(20240601);
  prometheus::WriteRequest r;
  for (int i = 0; i < 20; ++i) addSeries(r, {{"__name__", "m"}, {"i", std::to_string(i)}});
  const std::string raw = r.SerializeAsString();
  const std::string good = compress(raw);
  DecodeLimits limits;
  limits.max_uncompressed_bytes = 64 << 10;
  size_t accepted = 0;
  testing::resetLargestAllocation();
  for (int iter = 0; iter < 3000; ++iter) {
    std::string b;
    switch (iter % 4) {
      case 0:  // truncated
        b = good.substr(0, rng() % good.size());
        break;
      case 1: {  // flipped bytes in the snappy stream
        b = good;
        for (int k = 0; k < 3; ++k) b[rng() % b.size()] = static_cast<char>(rng());
        break;
      }
      case 2: {  // damaged protobuf, validly compressed
        std::string p = raw;
        for (int k = 0; k < 3; ++k) p[rng() % p.size()] = static_cast<char>(rng());
        b = compress(p.substr(0, rng() % (p.size() + 1)));
        break;
      }
      default: {  // noise
        b.resize(rng() % 256);
        for (auto& c : b) c = static_cast<char>(rng());
      }
    }
    Decoded d = decode(b, limits);
    if (d.ok) {
      ++accepted;
    } else {
      EXPECT_FALSE(d.error.reason.empty());
    }
  }
  EXPECT_LE(testing::largestAllocation(), limits.max_uncompressed_bytes + 1024);
  EXPECT_GT(accepted, 0u);  // some damaged protobufs still parse; the loop reaches validation
}

}  // namespace
}  // namespace strata::prompb
