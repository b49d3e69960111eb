// The uploader's durable memory, in RocksDB under its data dir: which blocks it accepted and
// has not shipped yet (pending), which it shipped (done) and which it could not ship because
// their files were gone (lost). A restart resumes from it: a done block is never uploaded
// again and a pending one is never skipped.
#pragma once

#include <rocksdb/db.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::uploader {

struct PendingBlock {
  std::string ulid;
  std::string tenant;
  std::string dir;          // the local block directory
  int64_t accepted_ms = 0;  // when the uploader took it (for the oldest-pending age)
};

enum class BlockState { kUnknown, kPending, kDone, kLost };

// THREAD: safe for concurrent use (RocksDB is).
class UploadState {
 public:
  // Opens (creating) the database at `path`; throws std::runtime_error naming it.
  explicit UploadState(const std::string& path);

  BlockState state(const std::string& ulid) const;
  // Each write is synced: an acknowledged block must survive a crash of the host.
  void markPending(const PendingBlock& block);
  void markDone(const std::string& ulid, int64_t uploaded_ms);
  void markLost(const std::string& ulid);
  std::vector<PendingBlock> pending() const;

 private:
  void put(const std::string& key, const std::string& value, const std::string& erase);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace strata::uploader
