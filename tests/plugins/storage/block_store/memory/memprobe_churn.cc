#include "memprobe_churn.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "proc_status.h"

namespace strata::memprobe {
namespace {

// A pod name and container id per slot and generation: new label values every rollout, the
// churn that made the head's symbol table grow without bound.
avalanche::Labels churnedLabels(const avalanche::Workload& w, int64_t slot, int64_t generation) {
  avalanche::Labels labels = w.labels(slot, 0);
  uint64_t h = (static_cast<uint64_t>(generation) << 32 | static_cast<uint64_t>(slot)) *
               0x9e3779b97f4a7c15ULL;
  char id[24];
  std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(h));
  labels.emplace_back("container_id", id);
  labels.emplace_back("pod", "app-" + std::to_string(slot / 10) + "-" + std::string(id, 10));
  std::sort(labels.begin(), labels.end());
  return labels;
}

// One generation, `per_batch` series per batch with all their steps (labels are built per
// batch, so a million series do not need a million label sets at once).
void ingestGeneration(block_store::BlockStore& store, const avalanche::Workload& w,
                      int64_t per_batch, int64_t generation, int64_t base_ms) {
  const int64_t block = churnBlockMs(w);
  for (int64_t first = 0; first < w.slots(); first += per_batch) {
    sdk::BatchBuilder b("probe");
    for (int64_t s = first; s < std::min(w.slots(), first + per_batch); ++s) {
      b.beginSeries(churnedLabels(w, s, generation));
      for (int64_t step = 0; step < w.steps(); ++step)
        b.addSample(base_ms + generation * block + step * w.options().interval_ms,
                    w.value(step, s));
    }
    if (store.consume(b.finish()) != STRATA_OK) std::fprintf(stderr, "consume failed\n");
  }
}

}  // namespace

void runChurn(block_store::BlockStore& store, testing::FakeHost& fake, const avalanche::Workload& w,
              int64_t per_batch, int64_t generations) {
  const int64_t block = churnBlockMs(w);
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const int64_t base = (now / block - generations) * block;
  malloc_trim(0);
  const long anon_start_kb = procKb("RssAnon");
  size_t logs_seen = 0;
  for (int64_t g = 0; g < generations; ++g) {
    ingestGeneration(store, w, per_batch, g, base);
    auto t0 = std::chrono::steady_clock::now();
    store.cutBlocks();  // or waits for the background cutter, which an append woke
    double cut_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    auto db = store.tenant("probe", false);
    block_store::HeadMemory m = db->head.memory();
    malloc_trim(0);
    const double live = static_cast<double>(std::max<size_t>(m.series, 1));
    std::printf(
        "generation=%lld head_series=%zu head_symbols=%zu head_bytes_per_series=%.0f "
        "(symbols %.0f, series_structs %.0f, postings %.0f) rss_anon_growth_mb=%.1f "
        "rss_file_mb=%.1f cut_seconds=%.2f symbol_rebuilds=%.0f\n",
        static_cast<long long>(g), m.series, m.symbol_count, double(m.total()) / live,
        double(m.symbols) / live, double(m.series_structs) / live, double(m.postings) / live,
        double(procKb("RssAnon") - anon_start_kb) / 1024.0, double(procKb("RssFile")) / 1024.0,
        cut_s, fake.metric("strata_block_store_head_symbol_rebuilds_total"));
    auto logs = fake.logs();
    for (; logs_seen < logs.size(); ++logs_seen)
      if (logs[logs_seen].find("head symbols rebuilt") != std::string::npos)
        std::printf("  %s\n", logs[logs_seen].c_str());
  }
}

}  // namespace strata::memprobe
