// encodeShards writes the protobuf wire format itself (timeseries_wire.h): on random batches its
// entries must be byte for byte what the generated prometheus::WriteRequest code serializes,
// entry by entry and in the same order, with write_relabel_configs and series split across
// max_samples, and with external labels. The reference below is the encoder as it was before,
// built on the messages (after an external_labels processor).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "proto/remote.pb.h"
#include "shard_encoder.h"

namespace strata::rwexporter {
namespace {

// The message-based encoder encodeShards replaced (its rules applied the same way).
// External labels as the external_labels processor adds them: sorted in, the series' own value
// winning; routing by the series' own hash unless rules ran.
std::vector<NewEntry> referenceEncode(
    const sdk::BatchView& batch, uint32_t shards, uint64_t max_samples,
    const std::vector<relabel::Rule>* rules,
    const std::vector<std::pair<std::string, std::string>>& external = {}) {
  struct Pending {
    prometheus::WriteRequest request;
    uint32_t samples = 0;
    int64_t min_ts = std::numeric_limits<int64_t>::max();
    int64_t max_ts = std::numeric_limits<int64_t>::min();
  };
  std::vector<Pending> pending(shards);
  std::vector<NewEntry> out;
  auto flush = [&](uint32_t s) {
    Pending& p = pending[s];
    if (p.samples == 0) return;
    out.push_back({s, p.samples, p.min_ts, p.max_ts, p.request.SerializeAsString()});
    p = Pending();
  };
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& ref = batch.series(i);
    if (ref.sample_count == 0) continue;
    std::vector<std::pair<std::string, std::string>> labels;
    for (uint32_t j = 0; j < ref.label_count; ++j)
      labels.emplace_back(sdk::view(batch.labels(i)[j].name), sdk::view(batch.labels(i)[j].value));
    for (const auto& [n, v] : external) {
      bool own = false;
      for (const auto& l : labels) own |= l.first == n;
      if (!own) labels.emplace_back(n, v);
    }
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    uint64_t hash = ref.hash;
    if (rules && !rules->empty()) {
      relabel::LabelSet set;
      for (const auto& [n, v] : labels) set.set(n, v);
      if (!relabel::process(*rules, set) || set.empty()) continue;
      labels.clear();
      for (const auto& l : set.labels()) labels.emplace_back(l.name, l.value);
      std::vector<strata_label> views;
      for (const auto& [n, v] : labels) views.push_back({sdk::str(n), sdk::str(v)});
      hash = sdk::labelsHash(views.data(), static_cast<uint32_t>(views.size()));
    }
    const uint32_t s = static_cast<uint32_t>(hash % shards);
    prometheus::TimeSeries* ts = nullptr;
    for (uint32_t k = 0; k < ref.sample_count; ++k) {
      if (pending[s].samples >= max_samples) {
        flush(s);
        ts = nullptr;
      }
      Pending& p = pending[s];
      if (!ts) {
        ts = p.request.add_timeseries();
        for (const auto& [n, v] : labels) {
          auto* l = ts->add_labels();
          l->set_name(n);
          l->set_value(v);
        }
      }
      auto* sample = ts->add_samples();
      sample->set_timestamp(batch.timestamps(i)[k]);
      sample->set_value(batch.values(i)[k]);
      ++p.samples;
      p.min_ts = std::min(p.min_ts, batch.timestamps(i)[k]);
      p.max_ts = std::max(p.max_ts, batch.timestamps(i)[k]);
    }
  }
  for (uint32_t s = 0; s < shards; ++s) flush(s);
  return out;
}

// Values and timestamps that hit every proto3 default and varint length.
double randomValue(std::mt19937_64& rng) {
  switch (rng() % 8) {
    case 0:
      return 0.0;
    case 1:
      return -0.0;
    case 2:
      return std::numeric_limits<double>::quiet_NaN();
    case 3:
      return sdk::staleNaN();
    case 4:
      return std::numeric_limits<double>::infinity();
    default:
      return std::ldexp(static_cast<double>(rng() % 1000000) - 500000, rng() % 64 - 32);
  }
}

int64_t randomTimestamp(std::mt19937_64& rng) {
  switch (rng() % 6) {
    case 0:
      return 0;
    case 1:
      return -static_cast<int64_t>(rng() % 1000000);
    case 2:
      return static_cast<int64_t>(rng() % 128);
    default:
      return 1700000000000 + static_cast<int64_t>(rng() % 100000);
  }
}

std::string randomText(std::mt19937_64& rng) {
  // Mostly short; some long enough for two- and three-byte lengths.
  size_t len = rng() % 10 == 0 ? 100 + rng() % 20000 : 1 + rng() % 40;
  std::string s(len, 'a');
  for (auto& c : s) c = static_cast<char>('a' + rng() % 26);
  return s;
}

strata_metrics_batch* randomBatch(std::mt19937_64& rng) {
  sdk::BatchBuilder b;
  size_t series = rng() % 60;
  for (size_t i = 0; i < series; ++i) {
    std::vector<std::pair<std::string, std::string>> labels = {{"__name__", randomText(rng)},
                                                               {"s", std::to_string(i)}};
    for (size_t j = rng() % 5; j > 0; --j)
      labels.emplace_back("l" + randomText(rng), randomText(rng));
    b.beginSeries(std::move(labels));
    for (size_t k = rng() % 4 == 0 ? 0 : rng() % 12; k > 0; --k)
      b.addSample(randomTimestamp(rng), randomValue(rng));
  }
  return b.finish();
}

std::vector<relabel::Rule> someRules() {
  std::string err;
  relabel::Rule drop;
  drop.source_labels = {"s"};
  drop.regex = relabel::compileAnchored(".*3", &err);
  drop.action = relabel::Action::kDrop;
  relabel::Rule env;
  env.regex = relabel::compileAnchored("(.*)", &err);
  env.target_label = "env";
  env.replacement = "prod";
  return {drop, env};
}

void expectSameEntries(const std::vector<NewEntry>& got, const std::vector<NewEntry>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].shard, want[i].shard) << "entry " << i;
    EXPECT_EQ(got[i].samples, want[i].samples) << "entry " << i;
    EXPECT_EQ(got[i].min_ts, want[i].min_ts) << "entry " << i;
    EXPECT_EQ(got[i].max_ts, want[i].max_ts) << "entry " << i;
    ASSERT_EQ(got[i].payload, want[i].payload) << "entry " << i;
  }
}

TEST(ShardEncoderWireTest, SameBytesAsTheGeneratedSerializer) {
  std::mt19937_64 rng(20261202);
  const auto rules = someRules();
  for (int round = 0; round < 300; ++round) {
    sdk::OwnedBatch batch(randomBatch(rng));
    uint32_t shards = 1 + static_cast<uint32_t>(rng() % 5);
    uint64_t max_samples = 1 + rng() % 30;
    const std::vector<relabel::Rule>* r = round % 3 == 0 ? &rules : nullptr;
    SCOPED_TRACE("round " + std::to_string(round));
    expectSameEntries(encodeShards(batch.view(), shards, max_samples, r),
                      referenceEncode(batch.view(), shards, max_samples, r));
  }
}

TEST(ShardEncoderWireTest, ExternalLabelsAsTheProcessorAddedThem) {
  std::mt19937_64 rng(7);
  const auto rules = someRules();
  // "s" is every series' own label: the series' value wins over the external one.
  const std::vector<std::pair<std::string, std::string>> external = {
      {"a", "first"}, {"cluster", "eu-1"}, {"s", "ignored"}, {"zz", "last"}};
  std::vector<strata_label> views;
  for (const auto& [n, v] : external) views.push_back({sdk::str(n), sdk::str(v)});
  for (int round = 0; round < 200; ++round) {
    sdk::OwnedBatch batch(randomBatch(rng));
    uint32_t shards = 1 + static_cast<uint32_t>(rng() % 4);
    uint64_t max_samples = 1 + rng() % 30;
    const std::vector<relabel::Rule>* r = round % 2 == 0 ? &rules : nullptr;
    SCOPED_TRACE("round " + std::to_string(round));
    expectSameEntries(encodeShards(batch.view(), shards, max_samples, r, nullptr, views),
                      referenceEncode(batch.view(), shards, max_samples, r, external));
  }
}

TEST(ShardEncoderWireTest, LargeSeriesNeedMultiByteLengths) {
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", std::string(70000, 'n')}, {"v", std::string(300, 'v')}});
  for (int k = 0; k < 5000; ++k) b.addSample(1700000000000 + k, k * 0.5);
  sdk::OwnedBatch batch(b.finish());
  expectSameEntries(encodeShards(batch.view(), 1, 4096),
                    referenceEncode(batch.view(), 1, 4096, nullptr));
}

}  // namespace
}  // namespace strata::rwexporter
