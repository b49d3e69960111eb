#include "core/model/labels.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <strata/sdk/batch.hpp>
#include <string>
#include <vector>

namespace strata::model {
namespace {

// An independent FNV-1a 64 written from the algorithm's definition (offset basis
// 14695981039346656037, prime 1099511628211; xor then multiply per byte), with the ABI's
// framing: name, 0xff, value, 0xff for each label in name order. It shares no code with the
// SDK, so a change to the SDK's hash shows up as a mismatch here.
uint64_t referenceHash(const std::vector<std::pair<std::string, std::string>>& sorted) {
  uint64_t h = 14695981039346656037ULL;
  auto byte = [&h](unsigned char b) {
    h = h ^ b;
    h = h * 1099511628211ULL;
  };
  for (const auto& [name, value] : sorted) {
    for (char c : name) byte(static_cast<unsigned char>(c));
    byte(0xff);
    for (char c : value) byte(static_cast<unsigned char>(c));
    byte(0xff);
  }
  return h;
}

TEST(Labels, SortsUnsortedInputAndGets) {
  Labels l = Labels::from({{"job", "node"}, {"__name__", "up"}, {"instance", "a:9100"}});
  ASSERT_EQ(l.size(), 3u);
  EXPECT_EQ(l[0].name, "__name__");
  EXPECT_EQ(l[1].name, "instance");
  EXPECT_EQ(l[2].name, "job");
  EXPECT_EQ(l.get("job"), "node");
  EXPECT_EQ(l.metricName(), "up");
  EXPECT_EQ(l.get("missing"), "");
  EXPECT_FALSE(l.has("missing"));
}

TEST(Labels, DuplicateNameIsRejectedWithItsName) {
  Labels out;
  std::string error;
  EXPECT_FALSE(Labels::build({{"a", "1"}, {"b", "2"}, {"a", "3"}}, &out, &error));
  EXPECT_NE(error.find("duplicate label name \"a\""), std::string::npos) << error;
  EXPECT_THROW(Labels::from({{"x", "1"}, {"x", "1"}}), std::invalid_argument);
}

TEST(Labels, EmptyValueMeansAbsent) {
  Labels l = Labels::from({{"a", ""}, {"b", "2"}});
  EXPECT_EQ(l.size(), 1u);
  EXPECT_EQ(l, Labels::from({{"b", "2"}}));
}

TEST(Labels, HashIsStableKnownValue) {
  // Labels given out of order: the hash is over the sorted set.
  Labels l = Labels::from({{"job", "node"}, {"instance", "a:9100"}, {"__name__", "up"}});
  uint64_t reference = referenceHash({{"__name__", "up"}, {"instance", "a:9100"}, {"job", "node"}});
  // The literal was computed once with the reference algorithm above (and cross-checked with
  // a separate script); it pins the on-the-wire identity of this series forever (ABI 1).
  EXPECT_EQ(reference, 0x5c7ab42d8419da52ULL);
  EXPECT_EQ(l.hash(), 0x5c7ab42d8419da52ULL);
  EXPECT_EQ(Labels().hash(), 14695981039346656037ULL);  // empty set: the offset basis
}

TEST(Labels, HashEqualsSdkHashAndBuilderHash) {
  Labels l = Labels::from({{"b", "x\ny"}, {"a", "1"}});
  std::vector<strata_label> raw = {{{"a", 1}, {"1", 1}}, {{"b", 1}, {"x\ny", 3}}};
  EXPECT_EQ(l.hash(), sdk::labelsHash(raw.data(), raw.size()));

  sdk::BatchBuilder builder;
  builder.beginSeries({{"b", "x\ny"}, {"a", "1"}});
  strata_metrics_batch* batch = builder.finish();
  EXPECT_EQ(l.hash(), batch->series[0].hash);
  batch->release(batch);
}

TEST(Labels, HashDistinguishesNameValueBoundary) {
  // Without the 0xff separators these two would hash the same.
  EXPECT_NE(Labels::from({{"ab", "c"}}).hash(), Labels::from({{"a", "bc"}}).hash());
}

TEST(Labels, ToStringLikePrometheus) {
  EXPECT_EQ(Labels::from({{"job", "api"}, {"__name__", "up"}, {"az", "x"}}).toString(),
            "up{az=\"x\", job=\"api\"}");
  EXPECT_EQ(Labels::from({{"__name__", "up"}}).toString(), "up");
  EXPECT_EQ(Labels::from({{"a", "q\"b\\c\nd"}}).toString(), "{a=\"q\\\"b\\\\c\\nd\"}");
  EXPECT_EQ(Labels().toString(), "{}");
}

TEST(Labels, ComparesByContent) {
  Interner other;
  Labels a = Labels::from({{"a", "1"}});
  Labels b = Labels::from({{"a", "1"}}, other);
  EXPECT_EQ(a, b);
  EXPECT_LT(Labels::from({{"a", "1"}}), Labels::from({{"a", "2"}}));
}

}  // namespace
}  // namespace strata::model
