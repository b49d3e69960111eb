#include "gateway_core.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <mutex>

#include "bucket/bucket_layout.h"
#include "index_header_cache.h"

namespace strata::store_gateway {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const char* kSkippedName = "strata_store_gateway_blocks_skipped_total";
const char* kSkippedHelp =
    "Blocks of the bucket not served because their meta.json, index or chunks are unreadable.";

}  // namespace

GatewayCore::GatewayCore(sdk::Host host, GatewayOptions options,
                         std::shared_ptr<bucket::Bucket> bucket)
    : host_(host),
      options_(std::move(options)),
      bucket_(std::move(bucket)),
      caches_(std::make_shared<GatewayCaches>(host, postingsCacheBytes(options_),
                                              seriesCacheBytes(options_),
                                              chunksCacheBytes(options_))),
      limiter_(std::make_shared<SelectLimiter>(options_.max_concurrent_selects,
                                               options_.max_queued_selects,
                                               options_.select_queue_timeout_ms)),
      cache_bytes_(host.gauge("strata_store_gateway_range_cache_bytes",
                              "Bytes held by the in-memory caches, every kind together.")),
      headers_built_(host.counter("strata_store_gateway_index_headers_built_total",
                                  "Index-headers built from the bucket (not found on disk, or "
                                  "corrupt).")),
      selects_rejected_(host.counter("strata_store_gateway_selects_rejected_total",
                                     "Selects failed by a limit (queue, timeout, fetched bytes).")),
      loaded_(host.gauge("strata_store_gateway_blocks_loaded", "Blocks currently served.")),
      syncs_(host.counter("strata_store_gateway_syncs_total", "Block list syncs attempted.")),
      sync_failures_(
          host.counter("strata_store_gateway_sync_failures_total",
                       "Block list syncs that failed (the bucket could not be listed).")),
      bytes_(host.counter("strata_store_gateway_bucket_fetched_bytes_total",
                          "Bytes fetched from the bucket (meta.json, index and chunk ranges).")),
      skipped_meta_(host.counter(kSkippedName, kSkippedHelp, {{"reason", "meta_json"}})),
      skipped_index_(host.counter(kSkippedName, kSkippedHelp, {{"reason", "index"}})),
      skipped_chunks_(host.counter(kSkippedName, kSkippedHelp, {{"reason", "chunks"}})) {}

bool GatewayCore::inShard(const tsdb::BlockMeta& meta) const {
  if (!selectorKeeps(options_.selector_relabel_configs, meta.thanos_labels, meta.ulid))
    return false;
  int64_t now = nowMs();
  if (options_.min_time_offset_ms && meta.max_time <= now + *options_.min_time_offset_ms)
    return false;
  if (options_.max_time_offset_ms && meta.min_time > now + *options_.max_time_offset_ms)
    return false;
  return true;
}

void GatewayCore::skip(const std::string& ulid, const std::string& reason, const std::string& why) {
  if (reason == "meta_json") skipped_meta_.add();
  if (reason == "index") skipped_index_.add();
  if (reason == "chunks") skipped_chunks_.add();
  host_.warn("block skipped", {{"block", ulid}, {"reason", reason}, {"error", why}});
  std::unique_lock lock(mu_);
  skipped_.insert(ulid);
}

void GatewayCore::sync() {
  syncs_.add();
  std::vector<std::string> ulids;
  try {
    bucket_->list("", "/", [&](const std::string& entry) {
      if (auto ulid = bucket::blockUlidOfEntry(entry)) ulids.push_back(*ulid);
    });
  } catch (...) {
    sync_failures_.add();
    throw;
  }

  std::set<std::string> present;
  for (const auto& ulid : ulids) {
    try {
      // Partial (meta.json is uploaded last) or marked for deletion: not served.
      if (!bucket_->exists(bucket::blockMetaName(ulid))) continue;
      if (bucket_->exists(bucket::blockDeletionMarkName(ulid))) continue;
    } catch (const std::exception& e) {
      host_.warn("block not checked this sync", {{"block", ulid}, {"error", e.what()}});
      std::shared_lock lock(mu_);
      if (blocks_.count(ulid)) present.insert(ulid);  // keep serving what we had
      continue;
    }
    present.insert(ulid);
    {
      std::shared_lock lock(mu_);
      if (blocks_.count(ulid) || skipped_.count(ulid)) continue;
    }
    try {
      BlockOpenOptions open;
      sdk::Metric bytes = bytes_;
      open.observe = [bytes](uint64_t n) { bytes.add(double(n)); };
      open.caches = caches_;
      open.header_dir = options_.cache_dir;
      open.wanted = [this](const tsdb::BlockMeta& m) { return inShard(m); };
      sdk::Metric built = headers_built_;
      open.header_built = [built] { built.add(); };
      auto block = openBucketBlock(bucket_, ulid, open);
      if (!block) continue;
      std::unique_lock lock(mu_);
      blocks_[ulid] = std::move(block);
    } catch (const BlockSkipped& e) {
      skip(ulid, e.reason(), e.what());
    } catch (const std::exception& e) {
      host_.warn("block not loaded this sync", {{"block", ulid}, {"error", e.what()}});
    }
  }

  std::unique_lock lock(mu_);
  for (auto it = blocks_.begin(); it != blocks_.end();) {
    if (!present.count(it->first) || !inShard(it->second->meta))
      it = blocks_.erase(it);
    else
      ++it;
  }
  for (auto it = skipped_.begin(); it != skipped_.end();)
    it = present.count(*it) ? std::next(it) : skipped_.erase(it);
  loaded_.set(double(blocks_.size()));
  cache_bytes_.set(double(caches_->bytes()));
  if (!options_.cache_dir.empty()) {
    std::set<std::string> keep;
    for (const auto& [ulid, b] : blocks_) keep.insert(ulid);
    removeIndexHeadersExcept(options_.cache_dir, keep);
  }
}

uint64_t GatewayCore::cacheBytes() const { return caches_->bytes(); }

std::vector<std::string> GatewayCore::loadedBlocks() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& [ulid, b] : blocks_) out.push_back(ulid);
  return out;
}

sdk::SourceInfo GatewayCore::info(const std::string& tenant) const {
  sdk::SourceInfo out;
  out.min_time_ms = std::numeric_limits<int64_t>::max();
  out.max_time_ms = std::numeric_limits<int64_t>::min();
  for (const auto& b : blocksFor(tenant, std::numeric_limits<int64_t>::min(),
                                 std::numeric_limits<int64_t>::max())) {
    out.min_time_ms = std::min(out.min_time_ms, b->meta.min_time);
    out.max_time_ms = std::max(out.max_time_ms, b->meta.max_time - 1);  // meta's is exclusive
  }
  return out;
}

std::vector<GatewayCore::BlockPtr> GatewayCore::blocksFor(const std::string& tenant, int64_t min_t,
                                                          int64_t max_t) const {
  std::shared_lock lock(mu_);
  std::vector<BlockPtr> out;
  for (const auto& [ulid, b] : blocks_) {
    // meta max_time is exclusive, the query range inclusive.
    if (b->meta.max_time <= min_t || b->meta.min_time > max_t) continue;
    if (!tenant.empty()) {
      auto it = b->meta.thanos_labels.find(options_.tenant_label_name);
      const std::string& owner =
          it == b->meta.thanos_labels.end() ? options_.default_tenant : it->second;
      if (owner != tenant) continue;
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace strata::store_gateway
