// The in-memory head of one tenant: series found by their stable hash, open XOR chunks,
// postings for matchers. Appends validate ordering (in-order always, out-of-order within a
// window) and report what the WAL must record; replay rebuilds the same state from the WAL.
#pragma once

#include <cstdint>
#include <limits>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "head/chunk_file.h"
#include "head/head_memory.h"
#include "head/mem_series.h"
#include "head/postings.h"
#include "head/series_index.h"
#include "head/series_table.h"
#include "head/symbol_table.h"
#include "query/matcher.h"
#include "query/series_data.h"
#include "tsdb/block/block_writer.h"

namespace strata::block_store {

struct HeadOptions {
  int64_t block_duration_ms = 2 * 3600 * 1000;
  int64_t ooo_window_ms = 0;
  std::string chunk_dir;  // sealed chunks go to files here (ChunkFile); empty: kept in memory
};

struct AppendStats {
  uint64_t appended = 0, ignored = 0, out_of_order = 0, too_old = 0, duplicate = 0;
  uint64_t new_symbols = 0;  // label names and values this append interned
  uint64_t bad() const { return out_of_order + too_old + duplicate; }
};

// What an append must make durable, in one WAL write.
struct AppendRecord {
  struct Series {
    uint32_t ref;
    tsdb::LabelSet labels;
  };
  struct RefSample {
    uint32_t ref;
    int64_t t;
    double v;
    bool operator==(const RefSample&) const = default;
  };
  std::vector<Series> series;      // series whose record is not durable yet
  std::vector<RefSample> samples;  // a series' samples are adjacent, in arrival order
  int64_t max_t = std::numeric_limits<int64_t>::min();
  bool empty() const { return series.empty() && samples.empty(); }
};

using BlockSeries = std::pair<tsdb::LabelSet, std::vector<tsdb::ChunkData>>;

// What Head::dropBefore removed.
struct HeadGc {
  std::vector<uint32_t> removed;  // refs of the series removed (the checkpoint deletes them)
  bool symbols_rebuilt = false;   // the symbol table was rebuilt (head_symbols.cc)
  size_t symbols_freed = 0;       // by the rebuild: symbols dropped
  size_t symbols_kept = 0;        // by the rebuild: symbols left
  double rebuild_ms = 0;          // time the rebuild held the head's lock
};

// THREAD: every method is safe to call concurrently (one mutex per head).
class Head {
 public:
  // When options.chunk_dir cannot be created, sealed chunks simply stay in memory.
  explicit Head(HeadOptions options);

  AppendStats append(const sdk::BatchView& batch, AppendRecord* record);
  // After the WAL write of `record` succeeded: its series records are durable.
  void markDurable(const AppendRecord& record);

  // WAL replay: samples were validated when first accepted, so they are only deduplicated.
  void replaySeries(uint32_t ref, const tsdb::LabelSet& labels);
  void replaySample(uint32_t ref, int64_t t, double v);

  // Samples before this time are refused (they belong to blocks already written).
  void setMinValidTime(int64_t t);
  int64_t minValidTime() const;

  // Prometheus' rule: once the head spans more than 1.5 block durations, its oldest
  // block-aligned range [lo, hi) is due to be written as a block.
  bool nextCutRange(int64_t* lo, int64_t* hi) const;
  // Copies the range's chunks for a BlockWriter and refuses new samples before hi.
  std::vector<BlockSeries> collect(int64_t lo, int64_t hi);
  // After the block is durable and visible: forget everything before hi, and the series left
  // without any data (head GC, as Prometheus' after a compaction). Returns the refs of the
  // series removed, whose WAL records the checkpoint deletes; a series seen again later gets
  // a new ref (refs are never reused in a run, see series_table.h). When more than a quarter
  // of the symbols are then held by no series, the symbol table is rebuilt.
  HeadGc dropBefore(int64_t hi);

  std::vector<SeriesData> select(const std::vector<Matcher>& matchers, int64_t min_t,
                                 int64_t max_t) const;
  // Of the series matching and having data in [min_t, max_t] (MemSeries::overlaps). When the
  // range covers the whole head, of every series the postings list, as Prometheus does.
  std::vector<std::string> labelNames(const std::vector<Matcher>& matchers, int64_t min_t,
                                      int64_t max_t) const;
  std::vector<std::string> labelValues(const std::string& name,
                                       const std::vector<Matcher>& matchers, int64_t min_t,
                                       int64_t max_t) const;

  size_t numSeries() const;
  size_t numSymbols() const;  // interned label names and values, dead ones included
  HeadMemory memory() const;  // walks every series: for probes and tests, not hot paths
  int64_t minTime() const;    // of the data held; max int64 when empty
  int64_t maxTime() const;    // min int64 when empty

 private:
  MemSeries* findOrCreate(const strata_series_ref& ref, const strata_label* labels, uint32_t* id);
  MemSeries* create(uint32_t id, const std::vector<std::pair<uint32_t, uint32_t>>& pairs);
  bool sameLabels(const MemSeries& s, const strata_label* labels, uint32_t n) const;
  tsdb::LabelSet labelsOf(const MemSeries& s) const;
  std::vector<uint32_t> selectIds(const std::vector<Matcher>& matchers) const;
  // The matching series with data in [min_t, max_t].
  std::vector<uint32_t> selectIds(const std::vector<Matcher>& matchers, int64_t min_t,
                                  int64_t max_t) const;
  bool anyOverlaps(const PostingList* ids, int64_t min_t, int64_t max_t) const;
  void noteTime(int64_t t);
  // Replaces the symbol table by one of the live symbols only and remaps every stored id
  // (series labels, postings keys). Returns how many symbols were dropped.
  size_t rebuildSymbols();
  void recomputeMinTime();

  const HeadOptions options_;
  mutable std::mutex mu_;
  SymbolTable symbols_;
  MemPostings postings_;
  std::unique_ptr<ChunkFile> chunk_file_;
  ChunkStats chunk_stats_;
  SeriesTable series_;  // by ref
  SeriesIndex by_hash_;
  size_t live_series_ = 0;
  int64_t min_valid_t_ = std::numeric_limits<int64_t>::min();
  int64_t min_t_ = std::numeric_limits<int64_t>::max();
  int64_t max_t_ = std::numeric_limits<int64_t>::min();
};

}  // namespace strata::block_store
