#include "compactor_core.h"

#include <chrono>
#include <filesystem>

#include "bucket/bucket_layout.h"
#include "compact/cleaner.h"
#include "compact/compact_group.h"
#include "compact/downsample.h"
#include "compact/downsample_block.h"
#include "compact/marks.h"
#include "compact/planner.h"
#include "compact/retention.h"
#include "compact/source_block.h"

namespace strata::compactor {
namespace {

namespace fs = std::filesystem;

std::vector<tsdb::BlockMeta> values(const std::map<std::string, tsdb::BlockMeta>& m) {
  std::vector<tsdb::BlockMeta> out;
  for (const auto& [k, v] : m) out.push_back(v);
  return out;
}

std::string ulids(const std::vector<tsdb::BlockMeta>& blocks) {
  std::string s;
  for (const auto& b : blocks) s += (s.empty() ? "" : ",") + b.ulid;
  return s;
}

int64_t steadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

CompactorCore::CompactorCore(sdk::Host host, CompactorOptions options,
                             std::shared_ptr<bucket::Bucket> bucket, std::string scratch_dir,
                             const std::atomic<bool>* cancel)
    : host_(host),
      options_(std::move(options)),
      bucket_(std::move(bucket)),
      scratch_dir_(std::move(scratch_dir)),
      cancel_(cancel) {
  auto c = [&](const char* name, const char* help) { return host_.counter(name, help); };
  runs_ = c("strata_compactor_runs_total", "Compactor runs started.");
  run_failures_ = c("strata_compactor_run_failures_total",
                    "Runs that did not complete every step (bucket errors, failed groups).");
  groups_compacted_ = c("strata_compactor_groups_compacted_total",
                        "Groups compacted into a new block (uploaded, sources marked).");
  group_failures_ = c("strata_compactor_group_failures_total",
                      "Group compactions that failed (retried at the next run).");
  blocks_compacted_ =
      c("strata_compactor_blocks_compacted_total", "Source blocks compacted into new blocks.");
  blocks_marked_ = c("strata_compactor_blocks_marked_for_deletion_total",
                     "Deletion marks written (compacted and superseded sources).");
  blocks_no_compact_ = c("strata_compactor_blocks_marked_no_compact_total",
                         "Blocks marked no-compact because they could not be read.");
  blocks_deleted_ = c("strata_compactor_blocks_deleted_total",
                      "Blocks deleted after their deletion mark aged past delete_delay.");
  partial_deleted_ = c("strata_compactor_partial_blocks_deleted_total",
                       "Partial blocks (no meta.json) deleted: interrupted uploads or deletions.");
  overlaps_ = c("strata_compactor_overlaps_total",
                "Sets of overlapping blocks found and left alone (vertical_compaction off).");
  series_written_ = c("strata_compactor_series_written_total", "Series written to new blocks.");
  samples_written_ = c("strata_compactor_samples_written_total", "Samples written to new blocks.");
  downsampled_5m_ = host_.counter("strata_compactor_blocks_downsampled_total",
                                  "Blocks downsampled (a copy at the resolution uploaded).",
                                  {{"resolution", "5m"}});
  downsampled_1h_ = host_.counter("strata_compactor_blocks_downsampled_total",
                                  "Blocks downsampled (a copy at the resolution uploaded).",
                                  {{"resolution", "1h"}});
  downsample_failures_ = c("strata_compactor_downsample_failures_total",
                           "Block downsamplings that failed (retried at the next run).");
  retention_marked_ = c("strata_compactor_blocks_marked_by_retention_total",
                        "Blocks marked for deletion because past their resolution's retention.");
  backlog_ = host_.gauge("strata_compactor_backlog_groups",
                         "Groups planned in the current pass and not compacted yet.");
  last_success_ = host_.gauge("strata_compactor_last_successful_run_timestamp_seconds",
                              "Unix time of the end of the last run that completed every step.");
}

void CompactorCore::cleanScratch() {
  // Leftover blocks of a crash (<ULID> or <ULID>.tmp): their upload never finished (meta.json
  // goes last), safe to drop. Nothing else in the directory is touched.
  std::error_code ec;
  if (!fs::exists(scratch_dir_, ec)) return;
  std::vector<fs::path> leftovers;
  for (const auto& e : fs::directory_iterator(scratch_dir_, ec)) {
    std::string name = e.path().filename().string();
    if (name.size() > 4 && name.ends_with(".tmp")) name.resize(name.size() - 4);
    if (e.is_directory() && bucket::isUlid(name)) leftovers.push_back(e.path());
  }
  for (const auto& p : leftovers) fs::remove_all(p, ec);
}

bool CompactorCore::run(int64_t now_ms) {
  runs_.add();
  run_ok_ = true;
  failed_streams_.clear();
  failed_downsamples_.clear();
  overlaps_seen_.clear();
  int64_t now_s = now_ms / 1000;
  try {
    cleanScratch();
    compact::BucketState st = compact::syncBucket(*bucket_);
    for (const auto& [ulid, err] : st.unreadable)
      host_.warn("block left alone: meta.json or mark unreadable",
                 {{"block", ulid}, {"error", err}});
    markSuperseded(st, now_s);
    auto cancelled = [&] { return cancel_ && cancel_->load(); };
    while (!cancelled()) {
      while (!cancelled() && compactPass(st, now_s) > 0) {
      }
      if (cancelled() || !options_.downsampling || downsamplePass(st, now_ms) == 0) break;
      // A copy of a block that was partly downsampled already covers the older copy.
      markSuperseded(st, now_s);
    }
    backlog_.set(0);
    if (cancelled()) return false;
    applyRetention(st, now_ms);
    deleteExpired(st, now_ms);
  } catch (const compact::Cancelled&) {
    return false;
  } catch (const std::exception& e) {
    host_.error("compactor run failed; retried at the next interval", {{"error", e.what()}});
    run_ok_ = false;
  }
  if (!run_ok_) {
    run_failures_.add();
    return false;
  }
  last_success_.set(double(std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count()));
  return true;
}

void CompactorCore::markSuperseded(compact::BucketState& st, int64_t now_s) {
  for (const auto& [key, metas] :
       compact::groupByStream(values(st.blocks), options_.deduplication_replica_labels)) {
    for (const std::string& ulid : compact::supersededBlocks(metas)) {
      compact::markForDeletion(*bucket_, ulid, now_s);
      blocks_marked_.add();
      host_.info("block already compacted into another (interrupted run): marked for deletion",
                 {{"block", ulid}, {"stream", key.str()}});
      st.blocks.erase(ulid);
      st.no_compact.erase(ulid);
      st.deletion_marked[ulid] = now_s;
    }
  }
}

void CompactorCore::reportOverlap(const compact::StreamKey& key,
                                  const std::vector<tsdb::BlockMeta>& blocks) {
  std::vector<std::string> ids;
  for (const auto& b : blocks) ids.push_back(b.ulid);
  if (!overlaps_seen_.insert(ids).second) return;
  overlaps_.add();
  host_.warn("overlapping blocks skipped (set vertical_compaction: true to merge them)",
             {{"stream", key.str()}, {"blocks", ulids(blocks)}});
}

size_t CompactorCore::compactPass(compact::BucketState& st, int64_t now_s) {
  compact::PlannerOptions popts{options_.block_ranges, options_.vertical_compaction};
  struct Todo {
    compact::StreamKey key;
    compact::Plan plan;
  };
  std::vector<Todo> todo;
  for (auto& [key, metas] :
       compact::groupByStream(values(st.blocks), options_.deduplication_replica_labels)) {
    if (failed_streams_.count(key)) continue;
    compact::Plan plan = compact::planStream(metas, st.no_compact, popts);
    for (const auto& o : plan.overlaps) reportOverlap(key, o);
    if (!plan.group.empty()) todo.push_back({key, std::move(plan)});
  }
  backlog_.set(double(todo.size()));
  for (size_t i = 0; i < todo.size(); ++i) {
    if (cancel_ && cancel_->load()) throw compact::Cancelled();
    compactOne(st, todo[i].key, todo[i].plan.group, todo[i].plan.vertical, now_s);
    backlog_.set(double(todo.size() - i - 1));
  }
  return todo.size();
}

bool CompactorCore::compactOne(compact::BucketState& st, const compact::StreamKey& key,
                               const std::vector<tsdb::BlockMeta>& group, bool vertical,
                               int64_t now_s) {
  host_.info(
      "compacting group",
      {{"stream", key.str()}, {"blocks", ulids(group)}, {"vertical", vertical ? "true" : "false"}});
  compact::CompactOptions copts;
  copts.scratch_dir = scratch_dir_;
  copts.read_window_bytes = options_.read_buffer_bytes;
  copts.cancel = cancel_;
  copts.progress_every = 1000;
  int64_t started = steadyMs(), last_log = started;
  copts.progress = [&](uint64_t done, uint64_t total) {
    if (steadyMs() - last_log < 10'000) return;
    last_log = steadyMs();
    host_.info("compaction progress", {{"stream", key.str()},
                                       {"series_done", std::to_string(done)},
                                       {"source_series", std::to_string(total)}});
  };
  compact::CompactResult result;
  try {
    result = compact::compactGroup(bucket_, group, key, copts);
  } catch (const compact::CorruptBlock& e) {
    compact::markNoCompact(*bucket_, e.ulid(), "block-unreadable", e.what(), now_s);
    blocks_no_compact_.add();
    st.no_compact.insert(e.ulid());
    host_.warn("source block unreadable: marked no-compact, skipped",
               {{"block", e.ulid()}, {"error", e.what()}});
    return false;
  } catch (const compact::Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    group_failures_.add();
    failed_streams_.insert(key);
    run_ok_ = false;
    host_.error("group compaction failed; the stream is retried at the next run",
                {{"stream", key.str()}, {"blocks", ulids(group)}, {"error", e.what()}});
    return false;
  }
  // The output is complete in the bucket (meta.json uploaded): now the sources may go.
  for (const auto& src : group) {
    compact::markForDeletion(*bucket_, src.ulid, now_s);
    blocks_marked_.add();
    st.blocks.erase(src.ulid);
    st.deletion_marked[src.ulid] = now_s;
  }
  st.blocks[result.meta.ulid] = result.meta;
  groups_compacted_.add();
  blocks_compacted_.add(double(group.size()));
  series_written_.add(double(result.meta.num_series));
  samples_written_.add(double(result.meta.num_samples));
  host_.info("compacted group",
             {{"stream", key.str()},
              {"block", result.meta.ulid},
              {"level", std::to_string(result.meta.compaction_level)},
              {"sources", ulids(group)},
              {"series", std::to_string(result.meta.num_series)},
              {"samples", std::to_string(result.meta.num_samples)},
              {"deduplicated_samples", std::to_string(result.stats.samples_deduplicated)},
              {"duration_ms", std::to_string(steadyMs() - started)}});
  return true;
}

size_t CompactorCore::downsamplePass(compact::BucketState& st, int64_t now_ms) {
  std::set<std::string> skip = st.no_compact;
  for (const auto& ulid : failed_downsamples_) skip.insert(ulid);
  auto todo = compact::downsampleCandidates(values(st.blocks), skip, options_.resolutions, now_ms,
                                            options_.deduplication_replica_labels);
  for (const auto& src : todo) {
    if (cancel_ && cancel_->load()) throw compact::Cancelled();
    const int64_t res = compact::nextResolution(src.downsample_resolution_ms);
    const std::string res_name = res == compact::kRes5m ? "5m" : "1h";
    host_.info("downsampling block", {{"block", src.ulid}, {"resolution", res_name}});
    compact::CompactOptions copts;
    copts.scratch_dir = scratch_dir_;
    copts.read_window_bytes = options_.read_buffer_bytes;
    copts.cancel = cancel_;
    int64_t started = steadyMs();
    compact::DownsampleResult result;
    try {
      result = compact::downsampleBlock(bucket_, src, copts);
    } catch (const compact::CorruptBlock& e) {
      compact::markNoCompact(*bucket_, e.ulid(), "block-unreadable", e.what(), now_ms / 1000);
      blocks_no_compact_.add();
      st.no_compact.insert(e.ulid());
      host_.warn("block unreadable for downsampling: marked no-compact, skipped",
                 {{"block", e.ulid()}, {"error", e.what()}});
      continue;
    } catch (const compact::Cancelled&) {
      throw;
    } catch (const std::exception& e) {
      downsample_failures_.add();
      failed_downsamples_.insert(src.ulid);
      run_ok_ = false;
      host_.error("downsampling failed; retried at the next run",
                  {{"block", src.ulid}, {"error", e.what()}});
      continue;
    }
    st.blocks[result.meta.ulid] = result.meta;
    (res == compact::kRes5m ? downsampled_5m_ : downsampled_1h_).add();
    series_written_.add(double(result.meta.num_series));
    samples_written_.add(double(result.meta.num_samples));
    host_.info("downsampled block", {{"block", src.ulid},
                                     {"output", result.meta.ulid},
                                     {"resolution", res_name},
                                     {"series", std::to_string(result.meta.num_series)},
                                     {"duration_ms", std::to_string(steadyMs() - started)}});
  }
  return todo.size();  // each is now covered, no-compact or failed: not planned again
}

void CompactorCore::applyRetention(compact::BucketState& st, int64_t now_ms) {
  for (const std::string& ulid :
       compact::pastRetention(values(st.blocks), options_.resolutions, now_ms)) {
    const auto& m = st.blocks.at(ulid);
    compact::markForDeletion(*bucket_, ulid, now_ms / 1000);
    blocks_marked_.add();
    retention_marked_.add();
    host_.info("block past retention: marked for deletion",
               {{"block", ulid},
                {"resolution_ms", std::to_string(m.downsample_resolution_ms)},
                {"max_time", std::to_string(m.max_time)}});
    st.deletion_marked[ulid] = now_ms / 1000;
    st.no_compact.erase(ulid);
    st.blocks.erase(ulid);
  }
}

void CompactorCore::deleteExpired(const compact::BucketState& st, int64_t now_ms) {
  int64_t now_s = now_ms / 1000;
  for (const auto& [ulid, marked_s] : st.deletion_marked) {
    if ((now_s - marked_s) * 1000 < options_.delete_delay_ms) continue;
    compact::deleteBlock(*bucket_, ulid);
    blocks_deleted_.add();
    host_.info("deleted block marked for deletion", {{"block", ulid}});
  }
  for (const auto& p : st.partial) {
    bool expired = now_ms - p.newest_object_ms >= options_.partial_block_delete_delay_ms;
    if (!p.deletion_marked && !expired) continue;
    compact::deleteBlock(*bucket_, p.ulid);
    partial_deleted_.add();
    host_.info(p.deletion_marked ? "finished an interrupted block deletion"
                                 : "deleted a partial block (interrupted upload)",
               {{"block", p.ulid}});
  }
}

}  // namespace strata::compactor
