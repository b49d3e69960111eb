// The sealed blocks of one tenant. Readers hold a shared_ptr to an OpenBlock for as long as
// they read it; retention only unlists a block and marks it doomed, and the directory is
// removed when the last holder lets go, so deletion never races a query.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "query/matcher.h"
#include "query/series_data.h"
#include "tsdb/block/block_reader.h"

namespace strata::block_store {

struct OpenBlock {
  std::unique_ptr<tsdb::BlockReader> reader;
  std::string dir;
  uint64_t bytes = 0;
  std::atomic<bool> doomed{false};
  // Announcements a consumer (the uploader) still holds: the files must stay until it is done.
  std::atomic<int> announce_holds{0};
  ~OpenBlock();
};

// THREAD: safe for concurrent use.
class BlockSet {
 public:
  void add(std::shared_ptr<OpenBlock> block);
  std::vector<std::shared_ptr<OpenBlock>> snapshot() const;
  int64_t maxTime() const;  // the newest block's end; min int64 when none
  struct RetentionResult {
    size_t dropped = 0;
    // Of those, blocks a consumer still held (not shipped yet) that the size bound forced off
    // the disk at once: their shipment will fail and be counted as lost.
    size_t forced_unshipped = 0;
  };
  // Drops blocks that ended before `cutoff` and then the oldest while over `max_bytes`
  // (0 = no size limit). A dropped block's files go when its last reader and holder let go;
  // the size bound does not wait for holders (the disk must not fill up).
  RetentionResult applyRetention(int64_t cutoff, uint64_t max_bytes);

 private:
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<OpenBlock>> blocks_;  // by min time
};

// Opens a block directory; throws std::runtime_error like BlockReader::open.
std::shared_ptr<OpenBlock> openBlock(const std::string& dir);

// Matcher selection on one block through its postings; chunks are read lazily.
std::vector<SeriesData> selectBlock(const std::shared_ptr<OpenBlock>& block,
                                    const std::vector<Matcher>& matchers, int64_t min_t,
                                    int64_t max_t);

}  // namespace strata::block_store
