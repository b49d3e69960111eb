// The bucket uploader ("S3 uploader"): an exporter on the blocks edge. It ships every sealed
// block announced to it to a bucket, exactly once, meta.json last. Accepting a block is durable
// (upload_state.h), so a restart resumes where it stopped; the block's announcement is held
// until the block is in the bucket, which keeps the block store from deleting it by retention
// before (block_store: "a held block stays on disk").
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bucket/bucket.h"
#include "bucket/bucket_factory.h"
#include "upload_state.h"

namespace strata::uploader {

class BucketUploader : public sdk::Component {
 public:
  static void validate(const sdk::ConfigView& config, strata_diag_sink* sink);
  BucketUploader(sdk::Host host, sdk::ConfigView config);
  ~BucketUploader() override;

  // Opens the bucket and the upload state (after a predecessor closed them on reload).
  strata_status start() override;
  // Before start() (a block store announcing early) the block is refused with RETRY: the
  // block store announces it again on its next tick.
  strata_status consume(strata_block_ref* block) override;
  // Stops shipping and closes the state; the holds stay until destruction or adoption, so a
  // reload that rebuilds the uploader never lets retention delete an unshipped block.
  void stop() override;
  // Takes the predecessor's queue and holds (reload).
  strata_status adopt(sdk::Component& previous) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    PendingBlock block;
    std::vector<strata_block_ref*> holds;  // released once the block is in the bucket
    int failures = 0;
    Clock::time_point next_try = Clock::now();
  };

  void run();
  // Uploads one entry (outside the lock); true when it left the queue (done or lost).
  bool attempt(Entry& entry);
  void updateGauges();

  bucket::BucketConfig bucket_config_;
  std::unique_ptr<bucket::Bucket> bucket_;
  std::shared_ptr<UploadState> state_;  // null before start() and after stop()
  std::chrono::milliseconds max_backoff_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::map<std::string, Entry> queue_;  // by ULID: oldest blocks first
  bool stopping_ = false;
  std::thread worker_;

  sdk::Metric uploaded_, failed_, retried_, bytes_, lost_, skipped_, queue_len_, oldest_age_;
};

}  // namespace strata::uploader
