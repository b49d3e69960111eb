// strata-block-store-memprobe: ingests the benchmark's avalanche data (N series x M samples,
// time-major, `--per-batch` series per batch like one remote write request) straight into a
// BlockStore in this process and reports where the memory went: RSS growth, the allocator's
// in-use bytes, RocksDB's memtables and caches, and the head's own breakdown by structure.
//
//   strata-block-store-memprobe --series=10000 --samples=240 [--threads=1] [--per-batch=2000]
//                               [--flush] [--in-memory] [--keep] [--dir=/tmp/x]
//   strata-block-store-memprobe --churn=G --series=N --samples=M
// --flush also seals the head into blocks and reports the memory left; --in-memory keeps
// sealed head chunks on the heap (head_chunks_on_disk: false). --churn=G replaces every series
// G times, one block per generation (memprobe_churn.h), and reports the head per generation.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "block_store.h"
#include "fake_host.h"
#include "memprobe_churn.h"
#include "proc_status.h"
#include "test_config.h"
#include "workload.h"

namespace {

using strata::avalanche::Workload;
using strata::avalanche::WorkloadOptions;
using strata::memprobe::snap;
using strata::memprobe::Snapshot;

void ingest(strata::block_store::BlockStore& store, const Workload& w, int64_t per_batch,
            int threads) {
  const int64_t groups = (w.slots() + per_batch - 1) / per_batch;
  // Labels are built once per slot, as a sender would hold them.
  std::vector<strata::avalanche::Labels> labels(static_cast<size_t>(w.slots()));
  for (int64_t s = 0; s < w.slots(); ++s) labels[static_cast<size_t>(s)] = w.labels(s, 0);
  auto worker = [&](int k) {
    for (int64_t step = 0; step < w.steps(); ++step)
      for (int64_t g = k; g < groups; g += threads) {
        strata::sdk::BatchBuilder b("probe");
        for (int64_t s = g * per_batch; s < std::min(w.slots(), (g + 1) * per_batch); ++s) {
          b.beginSeries(labels[static_cast<size_t>(s)]);
          b.addSample(w.timestampMs(step), w.value(step, s));
        }
        if (store.consume(b.finish()) != STRATA_OK) std::fprintf(stderr, "consume failed\n");
      }
  };
  std::vector<std::thread> pool;
  for (int k = 0; k < threads; ++k) pool.emplace_back(worker, k);
  for (auto& t : pool) t.join();
}

long argOr(int argc, char** argv, const char* name, long def) {
  std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0)
      return std::stol(argv[i] + prefix.size());
  return def;
}

bool flag(int argc, char** argv, const char* name) {
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == std::string("--") + name) return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  WorkloadOptions wo;
  wo.series = argOr(argc, argv, "series", 10000);
  wo.samples = argOr(argc, argv, "samples", 240);
  wo.gauge_ratio = 0.4;
  wo.histogram_ratio = 0.2;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  wo.start_ms = (now / wo.interval_ms - wo.samples) * wo.interval_ms;
  const long per_batch = argOr(argc, argv, "per-batch", 2000);
  const int threads = static_cast<int>(argOr(argc, argv, "threads", 1));
  namespace fs = std::filesystem;
  std::string dir = fs::temp_directory_path() / ("strata-memprobe-" + std::to_string(getpid()));
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--dir=", 6) == 0) dir = argv[i] + 6;
  fs::remove_all(dir);

  Workload w(wo);
  strata::testing::FakeHost fake;
  strata::testing::TestConfig config;
  config.set("path", dir);
  config.set("default_tenant", "probe");
  if (flag(argc, argv, "in-memory")) config.set("head_chunks_on_disk", int64_t{0});
  const long generations = argOr(argc, argv, "churn", 0);
  if (generations > 0) {
    config.set("block_duration", strata::memprobe::churnBlockMs(w));
    // Every block written stays open (and in memory) until retention drops it; two blocks
    // keep that part flat, so what the generations show is the head's.
    config.set("retention_time", 2 * strata::memprobe::churnBlockMs(w));
  }
  auto store = std::make_unique<strata::block_store::BlockStore>(fake.host(), config.view());
  if (store->start() != STRATA_OK) {
    std::fprintf(stderr, "start failed: %s\n", fake.lastError().c_str());
    return 1;
  }
  if (generations > 0) {
    strata::memprobe::runChurn(*store, fake, w, per_batch, generations);
    store->stop();
    store.reset();
    if (!flag(argc, argv, "keep")) fs::remove_all(dir);
    return 0;
  }
  malloc_trim(0);
  Snapshot before = snap();
  auto t0 = std::chrono::steady_clock::now();
  ingest(*store, w, per_batch, threads);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  Snapshot after = snap();
  malloc_trim(0);
  Snapshot trimmed = snap();
  auto db = store->tenant("probe", false);
  auto head = db->head.memory();
  auto rocks = store->walMemory();
  const double n = static_cast<double>(wo.series);
  auto per = [n](double bytes) { return bytes / n; };
  std::printf("series=%lld samples_per_series=%lld threads=%d seconds=%.2f samples_per_s=%.0f\n",
              static_cast<long long>(wo.series), static_cast<long long>(wo.samples), threads, secs,
              static_cast<double>(w.totalSamples()) / secs);
  std::printf("rss_growth_per_series_bytes=%.0f (after malloc_trim: %.0f)\n",
              per((after.rss_kb - before.rss_kb) * 1024.0),
              per((trimmed.rss_kb - before.rss_kb) * 1024.0));
  std::printf("heap_in_use_growth_per_series=%.0f heap_arena_growth_per_series=%.0f\n",
              per(double(after.heap_in_use) - double(before.heap_in_use)),
              per(double(after.heap_arena) - double(before.heap_arena)));
  std::printf("rocksdb_per_series: memtables=%.0f block_cache=%.0f table_readers=%.0f\n",
              per(double(rocks.memtables)), per(double(rocks.block_cache)),
              per(double(rocks.table_readers)));
  std::printf(
      "head_per_series: total=%.0f series_structs=%.0f open_chunks=%.0f (used %.0f) "
      "sealed_chunks=%.0f (used %.0f) postings=%.0f symbols=%.0f hash_index=%.0f\n",
      per(double(head.total())), per(double(head.series_structs)), per(double(head.open_chunks)),
      per(double(head.open_used)), per(double(head.sealed_chunks)), per(double(head.sealed_used)),
      per(double(head.postings)), per(double(head.symbols)), per(double(head.hash_index)));
  if (flag(argc, argv, "flush")) {
    size_t blocks = store->flushHead();
    malloc_trim(0);
    Snapshot flushed = snap();
    std::printf("flush: blocks=%zu rss_after_flush_per_series=%.0f head_after=%.0f\n", blocks,
                per((flushed.rss_kb - before.rss_kb) * 1024.0),
                per(double(db->head.memory().total())));
  }
  store->stop();
  store.reset();
  uintmax_t disk = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) disk += e.file_size();
  std::printf("disk_bytes_per_sample=%.2f\n", double(disk) / double(w.totalSamples()));
  if (!flag(argc, argv, "keep")) fs::remove_all(dir);
  return 0;
}
