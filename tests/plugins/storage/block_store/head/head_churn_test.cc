// The head under series churn (Kubernetes: pod names and container ids change with every
// rollout): the symbols and series slots of removed series must go, and after a symbol table
// rebuild every lookup, select and label query must see exactly the live series.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <map>
#include <set>

#include "head/head.h"
#include "query/sample_iterator.h"

namespace strata::block_store {
namespace {

constexpr int64_t kBlock = 60'000;
constexpr int kStable = 20, kChurned = 200;

using Samples = std::vector<std::pair<int64_t, double>>;
using Model = std::map<tsdb::LabelSet, Samples>;  // what the head must hold

tsdb::LabelSet stableLabels(int k) {
  return {{"__name__", "up"}, {"instance", "node-" + std::to_string(k)}, {"job", "node"}};
}

tsdb::LabelSet churnedLabels(int cycle, int k) {
  return {{"__name__", "container_cpu"},
          {"container_id", std::to_string(cycle * 7919 + k * 104729)},
          {"job", "kubelet"},
          {"pod", "api-" + std::to_string(cycle) + "-" + std::to_string(k)}};
}

// Cycle c: 4 samples in [c * kBlock, (c + 1) * kBlock) for every stable series and for the
// churned series born in this cycle, which never get a sample again.
void appendCycle(Head& head, int c, Model* model) {
  sdk::BatchBuilder b("t");
  auto add = [&](const tsdb::LabelSet& labels) {
    b.beginSeries(labels);
    for (int i = 0; i < 4; ++i) {
      int64_t t = c * kBlock + i * 15'000;
      double v = c * 10 + i;
      b.addSample(t, v);
      (*model)[labels].emplace_back(t, v);
    }
  };
  for (int k = 0; k < kStable; ++k) add(stableLabels(k));
  for (int k = 0; k < kChurned; ++k) add(churnedLabels(c, k));
  sdk::OwnedBatch batch(b.finish());
  AppendRecord rec;
  EXPECT_EQ(head.append(batch.view(), &rec).bad(), 0u);
  head.markDurable(rec);
}

// Writes [.., hi) away as a block cut would, in the model too.
HeadGc cut(Head& head, int64_t hi, Model* model) {
  head.collect(INT64_MIN, hi);
  for (auto it = model->begin(); it != model->end();) {
    std::erase_if(it->second, [hi](const auto& s) { return s.first < hi; });
    it = it->second.empty() ? model->erase(it) : std::next(it);
  }
  return head.dropBefore(hi);
}

Model contents(const Head& head, const std::vector<Matcher>& matchers = {}) {
  Model out;
  for (auto& s : head.select(matchers, INT64_MIN, INT64_MAX)) {
    SampleIterator it(std::move(s.chunks), INT64_MIN, INT64_MAX);
    int64_t t;
    double v;
    Samples& samples = out[s.labels];
    while (it.next(&t, &v) == 1) samples.emplace_back(t, v);
  }
  return out;
}

std::vector<std::string> valuesIn(const Model& model, const std::string& name) {
  std::set<std::string> out;
  for (const auto& [labels, samples] : model)
    for (const auto& [n, v] : labels)
      if (n == name) out.insert(v);
  return {out.begin(), out.end()};
}

// The head's memory but for chunk buffers (a new series reserves the head's average chunk
// size once enough chunks were sealed, which changes the figure once, not with churn).
size_t indexBytes(const HeadMemory& m) { return m.total() - m.open_chunks - m.sealed_chunks; }

TEST(HeadChurn, SymbolsAndMemoryStayBoundedThroughManyCuts) {
  Head head({kBlock, 0, ""});
  Model model;
  // Live symbols at any time: 5 names, up / node / container_cpu / kubelet, the instances,
  // and a pod name and container id per churned series of the current cycle.
  const size_t live_symbols = 5 + 4 + kStable + 2 * kChurned;
  size_t memory_early = 0, rebuilds = 0;
  for (int c = 0; c < 40; ++c) {
    appendCycle(head, c, &model);
    if (c == 0) continue;
    HeadGc gc = cut(head, c * kBlock, &model);
    EXPECT_EQ(gc.removed.size(), size_t{kChurned}) << c;
    rebuilds += gc.symbols_rebuilt;
    ASSERT_EQ(head.numSeries(), size_t{kStable + kChurned});
    // Never more than a quarter dead after a cut; without rebuilds it would be
    // live_symbols + c * 2 * kChurned.
    EXPECT_LE(head.numSymbols() * 3, live_symbols * 4) << "cycle " << c;
    if (c == 3) memory_early = indexBytes(head.memory());
  }
  EXPECT_GE(rebuilds, 30u);
  HeadMemory m = head.memory();
  EXPECT_EQ(m.symbol_count, head.numSymbols());
  // Every structure that indexes series follows the live series: 37 more cycles of churn
  // (7,400 series created and removed) left them about as large as they were.
  EXPECT_LT(indexBytes(m), memory_early * 11 / 10) << indexBytes(m) << " vs " << memory_early;
  EXPECT_EQ(contents(head), model);
}

TEST(HeadChurn, QueriesAndLookupsAreExactAfterARebuild) {
  Head head({kBlock, 0, ""});
  Model model;
  for (int c = 0; c < 3; ++c) appendCycle(head, c, &model);
  HeadGc gc = cut(head, 2 * kBlock, &model);  // removes the churned series of cycles 0 and 1
  EXPECT_TRUE(gc.symbols_rebuilt);
  EXPECT_EQ(gc.symbols_freed, size_t{4 * kChurned});
  EXPECT_EQ(head.numSymbols(), size_t{5 + 4 + kStable + 2 * kChurned});

  // Selects: everything, by equality on a surviving value, by regex, by negation.
  EXPECT_EQ(contents(head), model);
  std::vector<Matcher> pod;
  pod.emplace_back(STRATA_MATCH_EQ, "pod", "api-2-17");
  Model one = contents(head, pod);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one.begin()->first, churnedLabels(2, 17));
  EXPECT_EQ(one.begin()->second, model.at(churnedLabels(2, 17)));
  std::vector<Matcher> gone;
  gone.emplace_back(STRATA_MATCH_EQ, "pod", "api-1-17");  // removed, its symbol dropped
  EXPECT_TRUE(contents(head, gone).empty());
  std::vector<Matcher> re;
  re.emplace_back(STRATA_MATCH_RE, "pod", "api-[01]-.*|api-2-1[0-9]");
  EXPECT_EQ(contents(head, re).size(), 10u);
  std::vector<Matcher> not_kubelet;
  not_kubelet.emplace_back(STRATA_MATCH_NEQ, "job", "kubelet");
  EXPECT_EQ(contents(head, not_kubelet).size(), size_t{kStable});

  // Label names and values, from postings (whole range) and from series (a sub-range).
  using V = std::vector<std::string>;
  EXPECT_EQ(head.labelNames({}, INT64_MIN, INT64_MAX),
            (V{"__name__", "container_id", "instance", "job", "pod"}));
  EXPECT_EQ(head.labelValues("pod", {}, INT64_MIN, INT64_MAX), valuesIn(model, "pod"));
  EXPECT_EQ(head.labelValues("pod", {}, 2 * kBlock, 2 * kBlock + 1000), valuesIn(model, "pod"));
  EXPECT_EQ(head.labelValues("container_id", not_kubelet, INT64_MIN, INT64_MAX), V{});
  EXPECT_EQ(head.labelValues("instance", not_kubelet, INT64_MIN, INT64_MAX),
            valuesIn(model, "instance"));
  EXPECT_EQ(head.labelValues("__name__", {}, INT64_MIN, INT64_MAX), (V{"container_cpu", "up"}));

  // Appends find their series through the remapped labels (no duplicate series), and new
  // series reuse the surviving symbols and intern the rest.
  const size_t series_before = head.numSeries();
  appendCycle(head, 3, &model);
  EXPECT_EQ(head.numSeries(), series_before + kChurned);  // the stable ones were found
  EXPECT_EQ(contents(head), model);
  std::vector<Matcher> node_3;
  node_3.emplace_back(STRATA_MATCH_EQ, "instance", "node-3");
  Model node = contents(head, node_3);
  ASSERT_EQ(node.size(), 1u);
  EXPECT_EQ(node.begin()->second.size(), 8u);  // cycles 2 and 3 in one series
}

TEST(HeadChurn, FewDeadSymbolsDoNotTriggerARebuild) {
  Head head({kBlock, 0, ""});
  Model model;
  appendCycle(head, 0, &model);
  // Many more series stay than go: the dead share stays below a quarter of the symbols.
  sdk::BatchBuilder b("t");
  for (int k = 0; k < 2000; ++k) {
    b.beginSeries({{"__name__", "up"}, {"instance", "more-" + std::to_string(k)}});
    b.addSample(kBlock, 1);
    b.addSample(2 * kBlock, 1);
  }
  sdk::OwnedBatch batch(b.finish());
  AppendRecord rec;
  head.append(batch.view(), &rec);
  HeadGc gc = cut(head, kBlock, &model);
  EXPECT_EQ(gc.removed.size(), size_t{kChurned + kStable});
  EXPECT_FALSE(gc.symbols_rebuilt);
  EXPECT_EQ(gc.symbols_freed, 0u);
}

// A measurement, not a check (run with --gtest_also_run_disabled_tests): head GC and the symbol
// table rebuild at a million live series, after a million others were churned away.
TEST(HeadChurn, DISABLED_RebuildTimeAtAMillionSeries) {
  constexpr int kSeries = 1'000'000;
  Head head({kBlock, 0, ""});
  auto generation = [&](int g) {
    for (int first = 0; first < kSeries; first += 10'000) {
      sdk::BatchBuilder b("t");
      for (int k = first; k < first + 10'000; ++k) {
        // Odd multiplier: a bijection, so every generation's ids are new and distinct.
        std::string id = std::to_string((uint64_t(g) * kSeries + k) * 0x9e3779b97f4a7c15ULL);
        b.beginSeries({{"__name__", "metric_" + std::to_string(k % 10)},
                       {"container_id", id},
                       {"label_0", "value_" + std::to_string(k % 7)},
                       {"label_1", "value_" + std::to_string(k % 11)},
                       {"pod", "app-" + std::to_string(k / 10) + "-" + id.substr(0, 8)},
                       {"series_id", std::to_string(k)}});
        b.addSample(g * kBlock, 1);
      }
      sdk::OwnedBatch batch(b.finish());
      AppendRecord rec;
      head.append(batch.view(), &rec);
    }
  };
  generation(0);
  generation(1);
  head.collect(INT64_MIN, kBlock);
  auto cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
  };
  const size_t symbols_before = head.numSymbols();
  auto wall0 = std::chrono::steady_clock::now();
  double cpu0 = cpu();
  HeadGc gc = head.dropBefore(kBlock);
  double gc_cpu_ms = cpu() - cpu0;
  double gc_wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
  EXPECT_TRUE(gc.symbols_rebuilt);
  std::printf(
      "series removed %zu, live %zu; symbols %zu -> %zu; dropBefore %.0f ms wall, %.0f ms cpu; "
      "of which the rebuild %.0f ms wall\n",
      gc.removed.size(), head.numSeries(), symbols_before, head.numSymbols(), gc_wall_ms, gc_cpu_ms,
      gc.rebuild_ms);
}

}  // namespace
}  // namespace strata::block_store
