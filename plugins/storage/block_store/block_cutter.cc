// Sealing the head into blocks, opening blocks at start, and retention.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "block_store.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/block/ulid.h"

namespace fs = std::filesystem;

namespace strata::block_store {
namespace {

// How long a block nobody took yet is kept on disk against retention (see announcePending).
constexpr auto kAnnounceGrace = std::chrono::seconds(60);

// meta.json's thanos.source for the blocks the store seals from its head: it ingests like
// Thanos receive does (remote write in, 2-hour blocks out).
constexpr char kBlockSource[] = "receive";

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool isTmp(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0;
}

}  // namespace

void BlockStore::openExistingBlocks() {
  // Layout: <root>/<tenant>/<ULID>/ ours; <root>/<ULID>/ a plain Prometheus data dir whose
  // blocks belong to default_tenant. Half-written blocks (*.tmp) are removed.
  auto scan = [this](const fs::path& dir, const std::string& tenant_name) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (!e.is_directory(ec)) continue;
      std::string name = e.path().filename().string();
      if (isTmp(name)) {
        fs::remove_all(e.path(), ec);
        continue;
      }
      if (!fs::exists(e.path() / "meta.json", ec)) continue;
      try {
        auto db = tenant(tenant_name, true);
        auto block = openBlock(e.path().string());
        db->head.setMinValidTime(block->reader->meta().max_time);
        // Announced again once the graph runs: a consumer that shipped it says so at once,
        // one that had not resumes (the uploader keeps its own durable record).
        queueAnnouncement(tenant_name, block);
        db->blocks.add(std::move(block));
      } catch (const std::exception& ex) {
        host().warn("skipping unreadable block", {{"dir", e.path().string()}, {"err", ex.what()}});
      }
    }
  };
  scan(root_, options_.default_tenant);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root_, ec)) {
    std::string name = e.path().filename().string();
    if (!e.is_directory(ec) || name == "wal" || name == "chunks_head" || isTmp(name) ||
        fs::exists(e.path() / "meta.json", ec) || !validTenant(name))
      continue;
    scan(e.path(), name);
  }
}

size_t BlockStore::cutBlocks() {
  std::lock_guard<std::mutex> lock(cut_mu_);
  size_t written = 0;
  for (const auto& db : tenants()) {
    int64_t lo, hi;
    while (db->head.nextCutRange(&lo, &hi)) {
      if (!cutOne(*db, lo, hi)) break;
      ++written;
    }
    applyRetention(*db);
  }
  return written;
}

size_t BlockStore::flushHead() {
  size_t written = cutBlocks();
  std::lock_guard<std::mutex> lock(cut_mu_);
  for (const auto& db : tenants()) {
    // Block-aligned ranges up to the newest sample as of now (samples arriving meanwhile
    // stay for later, so a busy head cannot keep the flush going); the last range ends just
    // after it, so samples newer than everything flushed are still accepted afterwards.
    const int64_t target = db->head.maxTime();
    for (;;) {
      int64_t min_t = db->head.minTime();
      if (min_t > target || target == std::numeric_limits<int64_t>::min()) break;
      const int64_t bd = options_.block_duration_ms;
      int64_t lo = floorDiv(min_t, bd) * bd;
      int64_t hi = std::min(lo + bd, target + 1);
      if (!cutOne(*db, lo, hi)) break;
      ++written;
    }
    applyRetention(*db);
  }
  return written;
}

bool BlockStore::cutOne(TenantDb& db, int64_t lo, int64_t hi) {
  // A block never starts before what earlier (possibly flushed, shorter) blocks cover.
  lo = std::max(lo, db.head.minValidTime());
  auto series = db.head.collect(lo, hi);
  tsdb::BlockMeta meta;
  meta.ulid = tsdb::newUlid(nowMs());
  meta.min_time = lo;
  meta.max_time = hi;
  meta.compaction_sources = {meta.ulid};
  meta.thanos_labels = options_.external_labels;
  meta.thanos_labels[options_.tenant_label_name] = db.name;
  // The counts (num_series, num_samples, num_chunks) are the writer's, after re-encoding.
  std::string dir;
  std::shared_ptr<OpenBlock> block;
  try {
    if (!series.empty()) {
      fs::create_directories(db.dir);
      tsdb::BlockWriter writer(
          db.dir, meta, kBlockSource,
          tsdb::BlockWriterOptions{static_cast<size_t>(options_.block_chunk_max_samples)});
      for (auto& [labels, chunks] : series) writer.addSeries(labels, std::move(chunks));
      dir = writer.finish();
      block = openBlock(dir);
      db.blocks.add(block);
    }
  } catch (const std::exception& e) {
    // The range stays in the head and the WAL; the next tick tries again.
    host().error("block write failed", {{"tenant", db.name}, {"err", e.what()}});
    return false;
  }
  HeadGc gc = db.head.dropBefore(hi);
  if (!gc.removed.empty()) head_series_.add(-static_cast<double>(gc.removed.size()));
  if (gc.symbols_rebuilt) {
    head_symbols_.add(-static_cast<double>(gc.symbols_freed));
    symbol_rebuilds_.add();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", gc.rebuild_ms);
    host().info("head symbols rebuilt", {{"tenant", db.name},
                                         {"dropped", std::to_string(gc.symbols_freed)},
                                         {"kept", std::to_string(gc.symbols_kept)},
                                         {"duration_ms", ms}});
  }
  std::string error;
  if (!wal_->checkpoint(db.name, hi, gc.removed, &error))
    host().error(error, {{"tenant", db.name}});
  if (block) {
    blocks_written_.add();
    host().info("block written", {{"tenant", db.name}, {"dir", dir}});
    if (announce(db.name, block) == STRATA_RETRY) queueAnnouncement(db.name, block);
  }
  return true;
}

strata_status BlockStore::announce(const std::string& tenant,
                                   const std::shared_ptr<OpenBlock>& block) {
  struct Owned {
    std::string tenant, dir, ulid;
    std::shared_ptr<OpenBlock> hold;  // keeps the files until the consumer releases
    strata_block_ref ref{};
  };
  const auto& meta = block->reader->meta();
  auto* o = new Owned{tenant, block->dir, meta.ulid, block, {}};
  ++block->announce_holds;
  o->ref.struct_size = sizeof(strata_block_ref);
  o->ref.tenant = sdk::str(o->tenant);
  o->ref.dir = sdk::str(o->dir);
  o->ref.ulid = sdk::str(o->ulid);
  o->ref.min_time_ms = meta.min_time;
  o->ref.max_time_ms = meta.max_time;
  o->ref.private_data = o;
  o->ref.release = [](strata_block_ref* self) {
    auto* owned = static_cast<Owned*>(self->private_data);
    --owned->hold->announce_holds;
    delete owned;
  };
  return host().emit(&o->ref);
}

void BlockStore::queueAnnouncement(const std::string& tenant,
                                   const std::shared_ptr<OpenBlock>& block) {
  std::lock_guard lock(unannounced_mu_);
  unannounced_.push_back({tenant, block, block, std::chrono::steady_clock::now() + kAnnounceGrace});
}

void BlockStore::announcePending() {
  std::vector<Unannounced> todo;
  {
    std::lock_guard lock(unannounced_mu_);
    todo.swap(unannounced_);
  }
  auto now = std::chrono::steady_clock::now();
  std::vector<Unannounced> again;
  for (auto& u : todo) {
    auto block = u.block.lock();
    // Gone, or unlisted by retention and no longer held: nothing left to announce.
    if (!block || (block->doomed && !u.hold)) continue;
    // Only RETRY (a consumer busy, reloading or not wired yet) is worth another try; OK took
    // it and REJECT never will.
    if (announce(u.tenant, block) != STRATA_RETRY) continue;
    if (u.hold && now >= u.hold_until) u.hold.reset();
    again.push_back(std::move(u));
  }
  std::lock_guard lock(unannounced_mu_);
  for (auto& a : again) unannounced_.push_back(std::move(a));
}

void BlockStore::applyRetention(TenantDb& db) {
  int64_t newest = std::max(db.head.maxTime(), db.blocks.maxTime());
  if (newest == std::numeric_limits<int64_t>::min()) return;
  auto r = db.blocks.applyRetention(newest - options_.retention_ms, options_.retention_bytes);
  if (r.dropped) blocks_deleted_.add(static_cast<double>(r.dropped));
  if (r.forced_unshipped) {
    unshipped_deleted_.add(static_cast<double>(r.forced_unshipped));
    host().error("retention_size forced blocks off the disk before they were shipped",
                 {{"tenant", db.name}, {"blocks", std::to_string(r.forced_unshipped)}});
  }
}

void BlockStore::cutterLoop() {
  std::unique_lock<std::mutex> lock(cutter_mu_);
  for (;;) {
    cutter_cv_.wait_for(lock, std::chrono::milliseconds(options_.cut_check_interval_ms),
                        [this] { return stopping_ || cut_wanted_; });
    if (stopping_) return;
    cut_wanted_ = false;
    lock.unlock();
    // Announce first: a block found at start reaches a consumer before retention runs again.
    announcePending();
    cutBlocks();
    lock.lock();
  }
}

}  // namespace strata::block_store
