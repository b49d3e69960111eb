#include "bucket_uploader.h"

#include <filesystem>
#include <random>
#include <stdexcept>

#include "block_upload.h"
#include "bucket/bucket_options.h"

namespace strata::uploader {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bucket::BucketConfig bucketConfig(const sdk::ConfigView& config) {
  return bucket::bucketConfigFrom(config["bucket"]);
}

void release(strata_block_ref* ref) {
  if (ref && ref->release) ref->release(ref);
}

}  // namespace

void BucketUploader::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::string problem = bucket::checkBucketConfig(bucketConfig(config));
  if (!problem.empty()) sink->report(sink, "bucket", problem.c_str());
}

BucketUploader::BucketUploader(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      max_backoff_(config["retry_max_backoff"].asMillis(300000)),
      uploaded_(host.counter("strata_bucket_uploader_blocks_uploaded_total",
                             "Blocks shipped to the bucket (meta.json written last).")),
      failed_(host.counter("strata_bucket_uploader_upload_failures_total",
                           "Upload attempts that failed (each is retried with backoff).")),
      retried_(host.counter("strata_bucket_uploader_upload_retries_total",
                            "Upload attempts of blocks whose earlier attempt failed.")),
      bytes_(host.counter("strata_bucket_uploader_uploaded_bytes_total",
                          "Bytes of block files shipped.")),
      lost_(host.counter("strata_bucket_uploader_blocks_lost_total",
                         "Blocks whose local files were deleted before they could be shipped.")),
      skipped_(host.counter("strata_bucket_uploader_blocks_already_uploaded_total",
                            "Announced blocks that were shipped before (e.g. before a restart).")),
      queue_len_(host.gauge("strata_bucket_uploader_queue_blocks",
                            "Blocks accepted and not shipped yet.")),
      oldest_age_(host.gauge("strata_bucket_uploader_oldest_pending_age_seconds",
                             "Age of the oldest block waiting to be shipped; 0 when none.")) {
  bucket_config_ = bucketConfig(config);
  std::string problem = bucket::checkBucketConfig(bucket_config_);
  if (!problem.empty()) throw std::invalid_argument(problem);
}

BucketUploader::~BucketUploader() {
  stop();
  for (auto& [ulid, e] : queue_)
    for (auto* ref : e.holds) release(ref);
}

strata_status BucketUploader::adopt(sdk::Component& previous) {
  auto* prev = dynamic_cast<BucketUploader*>(&previous);
  if (!prev) return STRATA_OK;
  prev->stop();  // normally already stopped by the host; idempotent
  std::scoped_lock lock(mu_, prev->mu_);
  for (auto& [ulid, e] : prev->queue_) {
    auto& mine = queue_[ulid];
    if (mine.block.ulid.empty()) mine.block = e.block;
    mine.failures = std::max(mine.failures, e.failures);
    for (auto* ref : e.holds) mine.holds.push_back(ref);
    e.holds.clear();
  }
  prev->queue_.clear();
  return STRATA_OK;
}

strata_status BucketUploader::start() {
  try {
    bucket_ = bucket::makeBucket(bucket_config_);
    if (auto problem = bucket::probeBucket(*bucket_)) {
      if (!problem->isTransient()) throw *problem;  // the operator's to fix: say it now
      host().warn("bucket not reachable at start; blocks wait and are retried",
                  {{"bucket", bucket_->describe()}, {"error", problem->what()}});
    }
    std::string dir = host().dataDir();
    std::filesystem::create_directories(dir);
    auto state =
        std::make_shared<UploadState>((std::filesystem::path(dir) / "upload_state").string());
    std::lock_guard lock(mu_);
    state_ = std::move(state);
    // Blocks accepted before a restart are shipped from their directories whether or not the
    // block store announces them again (if it does, its hold joins the entry).
    for (auto& p : state_->pending()) {
      auto& e = queue_[p.ulid];
      if (e.block.ulid.empty()) e.block = std::move(p);
    }
    stopping_ = false;
  } catch (const std::exception& e) {
    host().setError(e.what());
    return STRATA_FAILED;
  }
  updateGauges();
  worker_ = std::thread([this] { run(); });
  host().info("shipping blocks",
              {{"bucket", bucket_->describe()}, {"pending", std::to_string(queue_.size())}});
  return STRATA_OK;
}

void BucketUploader::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  // The entries stay pending on disk for the next start or a successor.
  std::lock_guard lock(mu_);
  state_.reset();
}

strata_status BucketUploader::consume(strata_block_ref* ref) {
  std::string ulid(sdk::view(ref->ulid));
  if (ulid.empty() || ref->dir.len == 0) {
    release(ref);
    host().setError("block announcement without a ULID or directory");
    return STRATA_REJECT;
  }
  std::unique_lock lock(mu_);
  if (!state_) {
    lock.unlock();
    release(ref);
    host().setError("the uploader is not running (starting or reloading); announce again");
    return STRATA_RETRY;
  }
  std::shared_ptr<UploadState> state = state_;
  BlockState s = state->state(ulid);
  if (s == BlockState::kDone || s == BlockState::kLost) {
    lock.unlock();
    skipped_.add();
    release(ref);
    return STRATA_OK;
  }
  auto it = queue_.find(ulid);
  if (it == queue_.end()) {
    Entry e;
    e.block.ulid = ulid;
    e.block.tenant = std::string(sdk::view(ref->tenant));
    e.block.dir = std::string(sdk::view(ref->dir));
    e.block.accepted_ms = nowMs();
    try {
      state->markPending(e.block);  // durable before we say OK
    } catch (const std::exception& ex) {
      lock.unlock();
      release(ref);
      host().setError(ex.what());
      return STRATA_RETRY;
    }
    it = queue_.emplace(ulid, std::move(e)).first;
  }
  it->second.holds.push_back(ref);
  lock.unlock();
  wake_.notify_one();
  updateGauges();
  return STRATA_OK;
}

void BucketUploader::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    // The oldest block that is due (ULIDs sort by creation time).
    auto now = Clock::now();
    auto due = queue_.end();
    auto next = Clock::time_point::max();
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (it->second.next_try <= now) {
        due = it;
        break;
      }
      next = std::min(next, it->second.next_try);
    }
    if (due == queue_.end()) {
      lock.unlock();
      updateGauges();
      lock.lock();
      if (next == Clock::time_point::max())
        wake_.wait_for(lock, std::chrono::seconds(1));
      else
        wake_.wait_until(lock, std::min(next, Clock::now() + std::chrono::seconds(1)));
      continue;
    }
    Entry work;
    work.block = due->second.block;
    work.failures = due->second.failures;
    std::string ulid = due->first;
    lock.unlock();
    bool finished = attempt(work);
    lock.lock();
    auto it = queue_.find(ulid);
    if (it == queue_.end()) continue;
    if (finished) {
      for (auto* ref : it->second.holds) release(ref);
      queue_.erase(it);
    } else {
      // Exponential backoff with full jitter: 1 s, 2 s, 4 s ... up to retry_max_backoff.
      it->second.failures = work.failures;
      int64_t cap =
          std::min<int64_t>(max_backoff_.count(), 1000LL << std::min(work.failures - 1, 20));
      static thread_local std::mt19937_64 rng{std::random_device{}()};
      int64_t wait = std::uniform_int_distribution<int64_t>(cap / 2, cap)(rng);
      it->second.next_try = Clock::now() + std::chrono::milliseconds(wait);
    }
    lock.unlock();
    updateGauges();
    lock.lock();
  }
}

bool BucketUploader::attempt(Entry& e) {
  std::shared_ptr<UploadState> state;
  {
    std::lock_guard lock(mu_);
    state = state_;
  }
  if (!state) return false;
  if (state->state(e.block.ulid) == BlockState::kDone) return true;  // shipped by a predecessor
  if (e.failures > 0) retried_.add();
  try {
    auto t0 = Clock::now();
    UploadResult r = uploadBlock(*bucket_, e.block.dir, e.block.ulid);
    state->markDone(e.block.ulid, nowMs());
    uploaded_.add();
    bytes_.add(static_cast<double>(r.bytes));
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    host().info("block uploaded", {{"ulid", e.block.ulid},
                                   {"tenant", e.block.tenant},
                                   {"files", std::to_string(r.files)},
                                   {"bytes", std::to_string(r.bytes)},
                                   {"duration_ms", std::to_string(ms)}});
    return true;
  } catch (const std::exception& ex) {
    if (!blockDirExists(e.block.dir)) {
      // Deleted locally (a disk bound forced it, or someone did) before it was shipped.
      try {
        state->markLost(e.block.ulid);
      } catch (const std::exception&) {
      }
      lost_.add();
      host().error("block LOST: its local files are gone and it never reached the bucket",
                   {{"ulid", e.block.ulid}, {"tenant", e.block.tenant}, {"dir", e.block.dir}});
      return true;
    }
    failed_.add();
    ++e.failures;
    // Every failure of the first few, then every 10th: a long outage logs, but not in a flood.
    if (e.failures <= 3 || e.failures % 10 == 0)
      host().warn(
          "block upload failed; retrying",
          {{"ulid", e.block.ulid}, {"attempt", std::to_string(e.failures)}, {"error", ex.what()}});
    return false;
  }
}

void BucketUploader::updateGauges() {
  std::lock_guard lock(mu_);
  queue_len_.set(static_cast<double>(queue_.size()));
  int64_t oldest = 0;
  for (const auto& [ulid, e] : queue_)
    if (oldest == 0 || e.block.accepted_ms < oldest) oldest = e.block.accepted_ms;
  oldest_age_.set(oldest == 0 ? 0.0 : static_cast<double>(nowMs() - oldest) / 1000.0);
}

}  // namespace strata::uploader
