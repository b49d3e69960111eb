// The zero-copy remote write 1.0 parser against protobuf's own: the same labels and samples
// for random requests (unknown fields included), and refusal of every truncation.
#include "prompb/write_request_view.h"

#include <gtest/gtest.h>

#include <random>

#include "proto/remote.pb.h"

namespace strata::prompb {
namespace {

prometheus::WriteRequest randomRequest(std::mt19937_64& rng) {
  prometheus::WriteRequest r;
  int series = static_cast<int>(rng() % 20);
  for (int i = 0; i < series; ++i) {
    auto* ts = r.add_timeseries();
    int labels = static_cast<int>(rng() % 6);
    for (int l = 0; l < labels; ++l) {
      auto* lab = ts->add_labels();
      lab->set_name("n" + std::to_string(rng() % 100));
      lab->set_value(std::string(rng() % 40, static_cast<char>('a' + rng() % 26)));
    }
    int samples = static_cast<int>(rng() % 4);
    for (int s = 0; s < samples; ++s) {
      auto* sm = ts->add_samples();
      sm->set_timestamp(static_cast<int64_t>(rng()) >> (rng() % 64));
      sm->set_value(static_cast<double>(static_cast<int64_t>(rng())) / 7.0);
    }
    if (rng() % 5 == 0) ts->add_exemplars()->set_value(1);
    if (rng() % 7 == 0) ts->add_histograms("x");
  }
  if (rng() % 3 == 0) {
    auto* m = r.add_metadata();
    m->set_help("h");
    m->set_metric_family_name("fam" + std::to_string(rng() % 5));
    m->set_type(static_cast<prometheus::MetricMetadata::MetricType>(rng() % 8));
    if (rng() % 2) m->set_unit("seconds");
  }
  return r;
}

TEST(WriteRequestView, SameAsProtobufOnRandomRequests) {
  std::mt19937_64 rng(7);
  ParsedWriteRequest parsed;
  for (int round = 0; round < 500; ++round) {
    prometheus::WriteRequest r = randomRequest(rng);
    std::string wire = r.SerializeAsString();
    if (round % 2) wire += std::string("\x48\x05\x52\x02hi", 6);  // unknown fields 9 and 10
    ASSERT_TRUE(parseWriteRequest(wire, &parsed)) << round;
    ASSERT_EQ(parsed.series.size(), static_cast<size_t>(r.timeseries_size()));
    size_t exemplars = 0, histograms = 0;
    for (int i = 0; i < r.timeseries_size(); ++i) {
      const auto& want = r.timeseries(i);
      const auto& got = parsed.series[static_cast<size_t>(i)];
      ASSERT_EQ(got.label_count, static_cast<uint32_t>(want.labels_size()));
      for (int l = 0; l < want.labels_size(); ++l) {
        EXPECT_EQ(parsed.labels[got.label_begin + static_cast<uint32_t>(l)].first,
                  want.labels(l).name());
        EXPECT_EQ(parsed.labels[got.label_begin + static_cast<uint32_t>(l)].second,
                  want.labels(l).value());
      }
      ASSERT_EQ(got.sample_count, static_cast<uint32_t>(want.samples_size()));
      for (int s = 0; s < want.samples_size(); ++s) {
        EXPECT_EQ(parsed.timestamps[got.sample_begin + static_cast<uint32_t>(s)],
                  want.samples(s).timestamp());
        EXPECT_EQ(parsed.values[got.sample_begin + static_cast<uint32_t>(s)],
                  want.samples(s).value());
      }
      exemplars += static_cast<size_t>(want.exemplars_size());
      histograms += static_cast<size_t>(want.histograms_size());
    }
    EXPECT_EQ(parsed.exemplars, exemplars);
    EXPECT_EQ(parsed.histograms, histograms);
    ASSERT_EQ(parsed.metadata.size(), static_cast<size_t>(r.metadata_size()));
    for (int m = 0; m < r.metadata_size(); ++m) {
      const auto& got = parsed.metadata[static_cast<size_t>(m)];
      EXPECT_EQ(got.type, static_cast<uint32_t>(r.metadata(m).type()));
      EXPECT_EQ(got.family, r.metadata(m).metric_family_name());
      EXPECT_EQ(got.help, r.metadata(m).help());
      EXPECT_EQ(got.unit, r.metadata(m).unit());
    }
  }
}

TEST(WriteRequestView, EveryTruncationThatProtobufRefusesIsRefused) {
  std::mt19937_64 rng(11);
  ParsedWriteRequest parsed;
  for (int round = 0; round < 50; ++round) {
    std::string wire = randomRequest(rng).SerializeAsString();
    for (size_t cut = 0; cut < wire.size(); ++cut) {
      std::string part = wire.substr(0, cut);
      prometheus::WriteRequest r;
      bool want = r.ParseFromString(part);
      EXPECT_EQ(parseWriteRequest(part, &parsed), want) << "round " << round << " cut " << cut;
    }
  }
}

TEST(WriteRequestView, BadKeysAndLengthsAreRefused) {
  ParsedWriteRequest parsed;
  EXPECT_FALSE(parseWriteRequest(std::string("\x00\x01", 2), &parsed));  // field 0
  EXPECT_FALSE(parseWriteRequest("\x0a\x7f", &parsed));                  // length past the end
  EXPECT_FALSE(parseWriteRequest("\x0f", &parsed));                      // wire type 7
  EXPECT_FALSE(parseWriteRequest("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", &parsed));
  EXPECT_TRUE(parseWriteRequest("", &parsed));
  EXPECT_TRUE(parsed.series.empty());
}

}  // namespace
}  // namespace strata::prompb
