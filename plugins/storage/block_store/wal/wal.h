// The head's write-ahead log on RocksDB. One database per block_store instance holds every
// tenant (the tenant is part of each key). An append is one WriteBatch: the records of series
// not yet durable plus the accepted samples; RocksDB writes it to its own log before Write()
// returns, so it survives SIGKILL. With sync_always the write is also fsynced; RocksDB's write
// group makes concurrent writers share one fsync (group commit).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "head/head.h"

namespace rocksdb {
class DB;
class Statistics;
}  // namespace rocksdb

namespace strata::block_store {

struct WalOptions {
  std::string dir;
  bool sync_always = false;
  int64_t sync_interval_ms = 1000;  // with sync_always off: fsync this often (0 = never)
};

struct WalVisitor {
  std::function<void(const std::string& tenant, int64_t min_valid_t)> meta;
  std::function<void(const std::string& tenant, uint32_t ref, const tsdb::LabelSet& labels)> series;
  std::function<void(const std::string& tenant, const std::vector<AppendRecord::RefSample>&)>
      samples;
};

// THREAD: write() and checkpoint() may run concurrently.
class Wal {
 public:
  // Throws std::runtime_error when RocksDB cannot open the directory.
  explicit Wal(WalOptions options);
  ~Wal();

  // Replays everything in key order: metas, then series by ref, then samples by time.
  // Call once, before the first write(). Returns false (and `error`) on corrupt records.
  bool replay(const WalVisitor& visitor, std::string* error);
  bool write(std::string_view tenant, const AppendRecord& record, std::string* error);
  // After a block ending at `min_valid_t` is durable: drop the sample records it covers and
  // the records of the series the head removed (they hold no data any more).
  bool checkpoint(std::string_view tenant, int64_t min_valid_t,
                  const std::vector<uint32_t>& removed_series, std::string* error);
  // fsyncs of RocksDB's log file (its statistics): fewer than writes under group commit.
  uint64_t walFileSyncs() const;
  // RocksDB's own memory: memtables (active, immutable and pinned), block cache, readers.
  struct Memory {
    uint64_t memtables = 0, block_cache = 0, table_readers = 0;
  };
  Memory memory() const;

 private:
  void syncLoop();

  WalOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::atomic<uint64_t> seq_{1};
  std::shared_ptr<rocksdb::Statistics> stats_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread sync_thread_;
};

}  // namespace strata::block_store
