// strata-avalanche's request bodies: the 2.0 body of a request, decoded by the remote_write
// receiver's 2.0 decoder, carries exactly the series and samples of the 1.0 body of the same
// request (decoded by the 1.0 decoder), which are the workload's own; and its metadata carries
// each series' metric type.
#include "request_body.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "prompb/snappy_body.h"
#include "prompb/write_request_decoder.h"
#include "prompb/write_v2_codec.h"
#include "proto/write_v2.pb.h"

namespace strata::avalanche {
namespace {

namespace v2 = io::prometheus::write::v2;

struct Series {
  Labels labels;
  std::vector<int64_t> timestamps;
  std::vector<uint64_t> value_bits;  // bit-exact: no rounding may hide a difference
  bool operator==(const Series&) const = default;
};

uint64_t bits(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

std::vector<Series> flatten(const sdk::BatchView& batch) {
  std::vector<Series> out;
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    Series s;
    const strata_label* l = batch.labels(i);
    for (uint32_t j = 0; j < batch.series(i).label_count; ++j)
      s.labels.emplace_back(std::string(sdk::view(l[j].name)), std::string(sdk::view(l[j].value)));
    for (uint32_t k = 0; k < batch.series(i).sample_count; ++k) {
      s.timestamps.push_back(batch.timestamps(i)[k]);
      s.value_bits.push_back(bits(batch.values(i)[k]));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Decodes with the receiver's decoder of `protocol`; fails the test on a refusal.
std::vector<Series> decode(const Request& r, RemoteWriteProtocol protocol) {
  sdk::BatchBuilder builder;
  prompb::DecodeStats stats;
  prompb::DecodeError error;
  bool ok = protocol == RemoteWriteProtocol::kV2
                ? prompb::decodeWriteV2Request(r.body, {}, builder, &stats, &error)
                : prompb::decodeWriteRequest(r.body, {}, builder, &stats, &error);
  EXPECT_TRUE(ok) << error.reason << ": " << error.message;
  EXPECT_EQ(stats.samples, static_cast<size_t>(r.samples));
  sdk::OwnedBatch batch(builder.finish());
  return flatten(batch.view());
}

// What a request of [first, last) x [step0, step0 + steps) must carry, from the workload itself:
// one series per slot and churn generation, in slot order, with each one's family type.
std::vector<Series> expected(const Workload& w, int64_t first, int64_t last, int64_t step0,
                             int64_t steps, std::vector<MetricType>* types) {
  std::vector<Series> out;
  for (int64_t slot = first; slot < last; ++slot) {
    int64_t gen = -1;
    for (int64_t step = step0; step < step0 + steps && step < w.steps(); ++step) {
      if (w.generation(step, slot) != gen) {
        gen = w.generation(step, slot);
        out.push_back({w.labels(slot, gen), {}, {}});
        types->push_back(w.familyType(w.metricOf(slot)));
      }
      out.back().timestamps.push_back(w.timestampMs(step));
      out.back().value_bits.push_back(bits(w.value(step, slot)));
    }
  }
  return out;
}

v2::Request parseV2(const std::string& body) {
  std::string raw, why;
  EXPECT_EQ(prompb::uncompressBounded(body, 64u << 20, &raw, &why), prompb::SnappyResult::kOk)
      << why;
  v2::Request rq;
  EXPECT_TRUE(rq.ParseFromString(raw));
  return rq;
}

v2::Metadata::MetricType v2Type(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return v2::Metadata::METRIC_TYPE_COUNTER;
    case MetricType::kGauge:
      return v2::Metadata::METRIC_TYPE_GAUGE;
    case MetricType::kHistogram:
      return v2::Metadata::METRIC_TYPE_HISTOGRAM;
  }
  return v2::Metadata::METRIC_TYPE_UNSPECIFIED;
}

WorkloadOptions options() {
  WorkloadOptions o;
  o.series = 130;  // 10 families: 2 histograms of 8 buckets (a partial group), 4 gauges, 4 counters
  o.samples = 20;
  o.start_ms = 1'700'000'100'000;
  o.churn_interval_s = 60;  // every 4 steps, a quarter of the slots get a new `cycle`
  o.churn_fraction = 0.25;
  return o;
}

TEST(AvalancheRequestBody, V2CarriesTheSameSeriesAndSamplesAsV1) {
  Workload w(options());
  struct Case {
    int64_t first, last, step0, steps;
  };
  // One step; several steps across churn boundaries; the last, partial request of the span;
  // every slot at once.
  size_t churned = 0;  // series beyond one per slot: churn inside a request
  for (Case c :
       {Case{0, 50, 0, 1}, Case{50, 100, 2, 4}, Case{100, 130, 17, 5}, Case{0, 130, 3, 8}}) {
    SCOPED_TRACE(testing::Message() << "slots [" << c.first << ", " << c.last << "), steps "
                                    << c.step0 << "+" << c.steps);
    Request r1 = buildRequest(w, RemoteWriteProtocol::kV1, c.first, c.last, c.step0, c.steps);
    Request r2 = buildRequest(w, RemoteWriteProtocol::kV2, c.first, c.last, c.step0, c.steps);
    EXPECT_EQ(r1.samples, r2.samples);
    EXPECT_EQ(r1.step, c.step0);
    EXPECT_EQ(r2.step, c.step0);
    EXPECT_NE(r1.body, r2.body);

    std::vector<MetricType> types;
    std::vector<Series> want = expected(w, c.first, c.last, c.step0, c.steps, &types);
    int64_t want_samples = 0;
    for (const auto& s : want) want_samples += static_cast<int64_t>(s.timestamps.size());
    EXPECT_EQ(r1.samples, want_samples);
    churned += want.size() - static_cast<size_t>(c.last - c.first);
    std::vector<Series> got1 = decode(r1, RemoteWriteProtocol::kV1);
    std::vector<Series> got2 = decode(r2, RemoteWriteProtocol::kV2);
    EXPECT_EQ(got1, want);
    EXPECT_EQ(got2, got1);

    // The 2.0 message itself: one symbol table starting with "", each string once, and the
    // family's type as every series' metadata (no help or unit).
    v2::Request rq = parseV2(r2.body);
    ASSERT_GT(rq.symbols_size(), 0);
    EXPECT_EQ(rq.symbols(0), "");
    EXPECT_EQ(std::set<std::string>(rq.symbols().begin(), rq.symbols().end()).size(),
              static_cast<size_t>(rq.symbols_size()));
    ASSERT_EQ(rq.timeseries_size(), static_cast<int>(types.size()));
    for (int i = 0; i < rq.timeseries_size(); ++i) {
      const auto& ts = rq.timeseries(i);
      EXPECT_EQ(ts.metadata().type(), v2Type(types[static_cast<size_t>(i)])) << "series " << i;
      EXPECT_EQ(ts.metadata().help_ref(), 0u);
      EXPECT_EQ(ts.metadata().unit_ref(), 0u);
      EXPECT_EQ(ts.histograms_size(), 0);
      EXPECT_EQ(ts.exemplars_size(), 0);
    }
  }
  EXPECT_GT(churned, 0u);
}

TEST(AvalancheRequestBody, EveryFamilyTypeIsDeclared) {
  Workload w(options());
  Request r = buildRequest(w, RemoteWriteProtocol::kV2, 0, w.slots(), 0, 1);
  v2::Request rq = parseV2(r.body);
  std::set<int> seen;
  for (const auto& ts : rq.timeseries()) seen.insert(ts.metadata().type());
  EXPECT_EQ(seen, (std::set<int>{v2::Metadata::METRIC_TYPE_COUNTER, v2::Metadata::METRIC_TYPE_GAUGE,
                                 v2::Metadata::METRIC_TYPE_HISTOGRAM}));
}

}  // namespace
}  // namespace strata::avalanche
