// Helpers for block_store tests: a store on a temp dir behind a FakeHost, batches, and
// reading everything back as sample lines.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "block_store.h"
#include "fake_host.h"
#include "prompb/sample_line.h"
#include "query/sample_iterator.h"
#include "test_config.h"

namespace strata::block_store::testing {

using Labels = std::vector<std::pair<std::string, std::string>>;

inline std::string tempDir(const std::string& name) {
  std::random_device rd;
  auto dir =
      std::filesystem::temp_directory_path() / ("strata-bs-" + name + "-" + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

// One series with samples, as a batch of `tenant`.
inline strata_metrics_batch* batchOf(const std::string& tenant, const Labels& labels,
                                     const std::vector<std::pair<int64_t, double>>& samples) {
  sdk::BatchBuilder b(tenant);
  b.beginSeries(labels);
  for (const auto& [t, v] : samples) b.addSample(t, v);
  return b.finish();
}

// Every sample of the tenant, as sample lines in select order.
inline std::string dumpLines(const BlockStore& store, const std::string& tenant,
                             const std::vector<Matcher>& matchers = {},
                             int64_t lo = std::numeric_limits<int64_t>::min(),
                             int64_t hi = std::numeric_limits<int64_t>::max()) {
  std::string out;
  for (auto& s : store.selectSeries(tenant, matchers, lo, hi)) {
    std::vector<strata_label> labels;
    for (const auto& [n, v] : s.labels) labels.push_back({sdk::str(n), sdk::str(v)});
    std::string series;
    prompb::appendSeries(series, labels.data(), labels.size());
    SampleIterator it(std::move(s.chunks), lo, hi);
    int64_t t;
    double v;
    while (it.next(&t, &v) == 1) {
      out += series + " ";
      prompb::appendValue(out, v);
      out += " " + std::to_string(t) + "\n";
    }
  }
  return out;
}

struct StoreFixture {
  explicit StoreFixture(const std::string& dir, std::map<std::string, std::string> extra = {}) {
    config.set("path", dir);
    for (const auto& [k, v] : extra) config.set(k, v);
  }
  void set(const std::string& k, int64_t v) { config.set(k, v); }
  std::unique_ptr<BlockStore> open() {
    auto s = std::make_unique<BlockStore>(fake.host(), config.view());
    EXPECT_EQ(s->start(), STRATA_OK) << fake.lastError();
    return s;
  }
  strata::testing::FakeHost fake;
  strata::testing::TestConfig config;
};

}  // namespace strata::block_store::testing
