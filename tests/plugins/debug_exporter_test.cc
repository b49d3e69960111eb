// The debug exporter: output_file lines, counters, verbosity.
#include "debug_exporter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "fake_host.h"
#include "prompb/sample_line.h"
#include "test_config.h"

namespace strata::debug {
namespace {

using strata::testing::FakeHost;
using strata::testing::TestConfig;

strata_metrics_batch* batch(int64_t ts) {
  sdk::BatchBuilder b("t");
  b.beginSeries({{"__name__", "m"}, {"a", "1"}});
  b.addSample(ts, 1);
  b.addSample(ts + 1, 2);
  b.beginSeries({{"__name__", "n"}});
  b.addSample(ts, 0.5);
  return b.finish();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct DiagCollector : strata_diag_sink {
  std::vector<std::string> paths;
  DiagCollector() {
    report = [](strata_diag_sink* self, const char* path, const char*) {
      static_cast<DiagCollector*>(self)->paths.push_back(path);
    };
    private_data = nullptr;
  }
};

TEST(DebugExporterTest, AppendsOneLinePerSampleAndCounts) {
  std::string path = ::testing::TempDir() + "/debug_exporter_test.out";
  std::remove(path.c_str());
  FakeHost fake;
  TestConfig cfg;
  cfg.set("output_file", path);
  DebugExporter d(fake.host(), cfg.view());
  ASSERT_EQ(d.consume(batch(1000)), STRATA_OK);
  // Flushed per batch: readable before the exporter stops.
  EXPECT_EQ(slurp(path), "m{a=\"1\"} 1 1000\nm{a=\"1\"} 2 1001\nn 0.5 1000\n");
  ASSERT_EQ(d.consume(batch(2000)), STRATA_OK);
  d.stop();
  EXPECT_EQ(slurp(path),
            "m{a=\"1\"} 1 1000\nm{a=\"1\"} 2 1001\nn 0.5 1000\n"
            "m{a=\"1\"} 1 2000\nm{a=\"1\"} 2 2001\nn 0.5 2000\n");
  EXPECT_EQ(fake.metric("strata_debug_batches_total"), 2);
  EXPECT_EQ(fake.metric("strata_debug_samples_total"), 6);
  EXPECT_EQ(fake.metric("strata_debug_series_total"), 4);
  EXPECT_TRUE(fake.logs().empty()) << "basic verbosity does not log series";
  std::remove(path.c_str());
}

TEST(DebugExporterTest, DetailedLogsEverySeries) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("verbosity", "detailed");
  DebugExporter d(fake.host(), cfg.view());
  ASSERT_EQ(d.consume(batch(1)), STRATA_OK);
  auto logs = fake.logs();
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_NE(logs[0].find("series=m{a=\"1\"}"), std::string::npos) << logs[0];
  EXPECT_NE(logs[0].find("samples=2"), std::string::npos) << logs[0];
}

TEST(DebugExporterTest, VerbosityIsChecked) {
  FakeHost fake;
  TestConfig bad;
  bad.set("verbosity", "loud");
  EXPECT_THROW(DebugExporter(fake.host(), bad.view()), std::invalid_argument);
  DiagCollector sink;
  DebugExporter::validate(bad.view(), &sink);
  ASSERT_EQ(sink.paths.size(), 1u);
  EXPECT_EQ(sink.paths[0], "verbosity");
  TestConfig good;
  good.set("verbosity", "basic");
  DiagCollector none;
  DebugExporter::validate(good.view(), &none);
  EXPECT_TRUE(none.paths.empty());
}

TEST(DebugExporterTest, UnwritableOutputFileFailsCreate) {
  FakeHost fake;
  TestConfig cfg;
  cfg.set("output_file", "/nonexistent-dir/x/out.txt");
  EXPECT_THROW(DebugExporter(fake.host(), cfg.view()), std::runtime_error);
}

}  // namespace
}  // namespace strata::debug
