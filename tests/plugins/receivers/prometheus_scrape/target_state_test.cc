// One target's scrapes: target labels attached (honor_labels and exported_ conflicts),
// metric_relabel_configs, limits, report series, and staleness markers for series and targets
// that disappear.
#include "target_state.h"

#include <gtest/gtest.h>

#include <strata/sdk.hpp>

#include "packed_labels.h"
#include "scrape_options.h"
#include "yaml_config.h"

namespace strata::scrape {
namespace {

JobConfig job(const std::string& yaml) {
  testing::YamlConfig cfg("scrape_configs:\n  - " + yaml, kReceiverOptions);
  EXPECT_TRUE(cfg.ok()) << (cfg.errors().empty() ? "" : cfg.errors()[0]);
  std::vector<relabel::Problem> problems;
  ScrapeConfig sc = parseScrapeConfig(cfg.view(), &problems);
  EXPECT_TRUE(problems.empty());
  return sc.jobs.at(0);
}

TargetState state(const JobConfig& j) {
  std::string err;
  auto t = buildTarget(j, relabel::LabelSet{{"__address__", "h:9"}}, &err);
  EXPECT_TRUE(t) << err;
  return TargetState(j, *t);
}

// "name{a=b,...} value@ts" with stale markers shown as STALE.
std::vector<std::string> render(const ScrapedSamples& out) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < out.size(); ++i) {
    SampleRef s = out.at(i);
    std::string l;
    for (const auto& x : unpackLabels(s.labels)) {
      if (x.name == "__name__") continue;
      l += (l.empty() ? "" : ",") + x.name + "=" + x.value;
    }
    std::string name;
    for (const auto& x : unpackLabels(s.labels))
      if (x.name == "__name__") name = x.value;
    char v[40];
    snprintf(v, sizeof v, "%g", s.value);
    lines.push_back(name + "{" + l + "} " + (sdk::isStaleNaN(s.value) ? "STALE" : v) + "@" +
                    std::to_string(s.timestamp_ms));
  }
  return lines;
}

FetchOutcome ok(std::string_view body) { return FetchOutcome{true, "", body, "text/plain"}; }

TEST(TargetStateTest, ExportedPrefixOnConflicts) {
  TargetState s = state(job("{job_name: j}"));
  ScrapedSamples out;
  auto st = s.ingest(ok("m{job=\"x\",exported_job=\"y\",instance=\"i\"} 1\n"), 1000, 0.25, &out);
  ASSERT_TRUE(st.up) << st.error;
  auto lines = render(out);
  ASSERT_EQ(lines.size(), 6u);
  // instance is shorter, so it is resolved first; job's exported_job is taken ->
  // exported_exported_job
  EXPECT_EQ(lines[0],
            "m{exported_exported_job=x,exported_instance=i,exported_job=y,instance=h:9,job=j} "
            "1@1000");
  EXPECT_EQ(lines[1], "up{instance=h:9,job=j} 1@1000");
  EXPECT_EQ(lines[2], "scrape_duration_seconds{instance=h:9,job=j} 0.25@1000");
  EXPECT_EQ(lines[3], "scrape_samples_scraped{instance=h:9,job=j} 1@1000");
  EXPECT_EQ(lines[4], "scrape_samples_post_metric_relabeling{instance=h:9,job=j} 1@1000");
  EXPECT_EQ(lines[5], "scrape_series_added{instance=h:9,job=j} 1@1000");
}

TEST(TargetStateTest, HonorLabelsKeepsExposedAndTimestamps) {
  TargetState s = state(job("{job_name: j, honor_labels: true}"));
  ScrapedSamples out;
  s.ingest(ok("m{job=\"x\"} 1 5000\nn 2\n"), 1000, 0, &out);
  auto lines = render(out);
  EXPECT_EQ(lines[0], "m{instance=h:9,job=x} 1@5000");
  EXPECT_EQ(lines[1], "n{instance=h:9,job=j} 2@1000");
  TargetState t = state(job("{job_name: j, honor_timestamps: false}"));
  out.clear();
  t.ingest(ok("m 1 5000\n"), 1000, 0, &out);
  EXPECT_EQ(render(out)[0], "m{instance=h:9,job=j} 1@1000");
}

TEST(TargetStateTest, StalenessForVanishedSeriesAndFailedScrapes) {
  TargetState s = state(job("{job_name: j}"));
  ScrapedSamples out;
  s.ingest(ok("a 1\nb 2\nc 3 999\n"), 1000, 0, &out);
  out.clear();
  auto st = s.ingest(ok("a 1\nd 4\n"), 2000, 0, &out);
  EXPECT_EQ(st.stale_markers, 1u);  // b; c had an explicit timestamp: not tracked
  EXPECT_EQ(st.series_added, 1u);   // d
  auto lines = render(out);
  EXPECT_EQ(lines[0], "b{instance=h:9,job=j} STALE@2000");
  out.clear();
  st = s.ingest(FetchOutcome{false, "connection refused", "", ""}, 3000, 0, &out);
  EXPECT_FALSE(st.up);
  lines = render(out);
  ASSERT_EQ(lines.size(), 7u);  // a, d stale + 5 report series
  std::sort(lines.begin(), lines.begin() + 2);
  EXPECT_EQ(lines[0], "a{instance=h:9,job=j} STALE@3000");
  EXPECT_EQ(lines[1], "d{instance=h:9,job=j} STALE@3000");
  EXPECT_EQ(lines[2], "up{instance=h:9,job=j} 0@3000");
  out.clear();
  s.ingest(ok("a 1\n"), 4000, 0, &out);
  out.clear();
  s.endOfRun(5000, &out);
  lines = render(out);
  ASSERT_EQ(lines.size(), 6u);  // a + 5 report series, all stale
  for (const auto& l : lines) EXPECT_NE(l.find("STALE@5000"), std::string::npos) << l;
}

TEST(TargetStateTest, MetricRelabelAndLimits) {
  TargetState s = state(job(R"({job_name: j, sample_limit: 2,
      metric_relabel_configs: [{source_labels: [__name__], regex: 'drop_.*', action: drop}]})"));
  ScrapedSamples out;
  auto st = s.ingest(ok("drop_me 1\nkeep 2\nkeep2 3\n"), 1000, 0, &out);
  ASSERT_TRUE(st.up) << st.error;
  EXPECT_EQ(st.scraped, 3u);
  EXPECT_EQ(st.post_relabel, 2u);
  out.clear();
  st = s.ingest(ok("keep 2\nkeep2 3\nkeep3 4\n"), 2000, 0, &out);
  EXPECT_FALSE(st.up);
  EXPECT_EQ(st.error, "sample limit exceeded");
  TargetState l = state(job("{job_name: j, label_limit: 3}"));
  st = l.ingest(ok("m{a=\"1\",b=\"2\"} 1\n"), 1000, 0, &out);  // +job +instance +__name__ = 5
  EXPECT_FALSE(st.up);
  EXPECT_NE(st.error.find("label_limit"), std::string::npos);
}

TEST(TargetStateTest, ParseErrorFailsTheScrapeAndKeepsMetadata) {
  TargetState s = state(job("{job_name: j}"));
  ScrapedSamples out;
  s.ingest(ok("# HELP m Help.\n# TYPE m gauge\nm 1\n"), 1000, 0, &out);
  auto md = s.metadata();
  ASSERT_EQ(md.count("m"), 1u);
  EXPECT_EQ(md["m"].type, "gauge");
  EXPECT_EQ(md["m"].help, "Help.");
  out.clear();
  auto st = s.ingest(ok("m 1\nm{ 2\n"), 2000, 0, &out);
  EXPECT_FALSE(st.up);
  EXPECT_EQ(st.error.rfind("line 2: ", 0), 0u) << st.error;
  EXPECT_EQ(render(out)[0], "m{instance=h:9,job=j} STALE@2000");
}

}  // namespace
}  // namespace strata::scrape
