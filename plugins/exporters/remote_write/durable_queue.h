// The exporter's durable queue on RocksDB: every batch the exporter acknowledges upstream is
// in RocksDB's WAL before consume() returns, so it survives kill -9 and a restart; shards
// take entries in append order, send them, and delete them.
//
// Bounded in logical bytes (the sum of entry values): an append that would exceed max_bytes
// first drops the OLDEST entries that no shard is sending right now (in flight), in the same
// RocksDB write as its first entry, and reports how many samples that dropped (the exporter
// counts them). Each entry is a write of its own (see append()).
// Entries a shard has only read ahead are dropped like queued ones (durable_queue_leases.cc).
//
// Per-series order: an entry belongs to one shard (series hash mod shard count). A shard takes
// leases in order, each continuing where the previous one ended, up to shard_capacity samples
// leased at once (queue_config.capacity; one lease always fits), and sends them in that order:
// startSend() marks a lease in flight, and tells which of its entries are left. An instance opened
// with another shard count than some stored entries were written with routes ALL stored entries
// to shard 0 and holds the other shards back until those are gone, so no series can overtake
// its own older samples across the change.
//
// Resharding while running: reshard(n) starts a new generation of n shards for the entries
// appended from then on. A generation's shards take nothing until every entry of the older
// generations is gone; an older generation's shards send without waiting for
// batch_send_deadline (a flush), and their take() returns false once their part is empty, so
// they finish. Per-series order holds across the change: a series' older samples are all
// delivered (through its old shard) before any of its newer ones leave (through its new one).
//
// THREAD: every method may be called from any thread.
#pragma once

#include <strata/plugin_abi.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace rocksdb {
class DB;
}

namespace strata::rwexporter {

struct QueueOptions {
  std::string directory;
  uint64_t max_bytes = 1ull << 30;
  bool sync = false;  // fsync every append (power-loss safety), else survive process death only
  uint32_t shards = 1;
  // Samples a shard may hold leased (read ahead plus in flight); a lease that would pass it
  // waits, except a shard's only one. 0: one lease per shard at a time.
  uint64_t shard_capacity = 0;
};

struct NewEntry {
  uint32_t shard = 0;
  uint32_t samples = 0;
  int64_t min_ts = 0, max_ts = 0;
  std::string payload;  // serialized WriteRequest (uncompressed)
};

struct AppendResult {
  uint64_t dropped_samples = 0;  // oldest entries dropped to make room
  uint64_t dropped_entries = 0;
};

// Entries a shard sends together; the payloads concatenated form one WriteRequest.
struct Lease {
  uint64_t generation = 0;
  uint32_t shard = 0;
  std::vector<uint64_t> seqs;
  std::string payload;  // empty until read: by take(), or by startSend() for kAtSend
  uint64_t samples = 0;
  int64_t max_ts = 0;
  bool loaded = false;  // payload read
};

// When take() reads a lease's payload: at once, or only when startSend() marks it in flight.
// A shard reads ahead up to capacity samples of leases; reading their payloads at send time
// keeps one payload in memory per shard instead of the whole read-ahead (an edge agent's
// entire scrape, a second copy beside RocksDB's memtable).
enum class PayloadRead { kAtTake, kAtSend };

struct QueueStats {
  uint64_t bytes = 0, entries = 0, samples = 0;
  int64_t oldest_ts = 0;  // smallest sample timestamp of the oldest entry; 0 when empty
  uint64_t leased = 0;    // samples shards have taken (read ahead or in flight), not yet done
};

class DurableQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // Opens (creating) the database and indexes what it holds. Throws std::runtime_error.
  explicit DurableQueue(QueueOptions options);
  ~DurableQueue();
  DurableQueue(const DurableQueue&) = delete;
  DurableQueue& operator=(const DurableQueue&) = delete;

  // OK once every entry is durable (WAL written; fsynced when sync). RETRY when it cannot
  // make room (every older entry is in flight) or RocksDB failed; REJECT when one entry alone
  // is larger than max_bytes. `error` says why when not OK. Entries are written one by one, not
  // as one atomic write (that would hold a second copy of the append at once): after a failed
  // RocksDB write the entries before it stay queued, and a caller that retries the same batch
  // sends those twice (never fewer).
  strata_status append(std::vector<NewEntry> entries, AppendResult* result, std::string* error);

  // Blocks until `shard` of `generation` has a request ready after the leases it already
  // holds: max_samples pending, or its oldest entry waited `deadline`, or flushing; and it
  // fits in shard_capacity. Returns false once closed, or once the generation is an old one
  // and this shard's part of it is empty. The lease is read ahead: still droppable.
  bool take(uint64_t generation, uint32_t shard, uint64_t max_samples,
            std::chrono::milliseconds deadline, Lease* out,
            PayloadRead read = PayloadRead::kAtTake);
  // The same for the current generation.
  bool take(uint32_t shard, uint64_t max_samples, std::chrono::milliseconds deadline, Lease* out,
            PayloadRead read = PayloadRead::kAtTake) {
    return take(generation(), shard, max_samples, deadline, out, read);
  }
  // The shard is about to send this lease: mark what is left of it in flight (no longer
  // droppable). When the byte bound dropped some of its entries while it was read ahead, the
  // lease shrinks to the rest (seqs, samples, max_ts, payload re-read); a lease taken with
  // kAtSend has its payload read now. False when none is left: skip it (its samples are
  // counted as dropped already).
  bool startSend(Lease* lease);
  // The lease was delivered (or refused for good): delete its entries.
  void complete(const Lease& lease);
  // The lease was not delivered (shutting down): its entries stay queued for the next owner.
  // A shard gives back the leases it holds newest first.
  void giveBack(const Lease& lease);

  // Flushing: ignore the send deadline (drain()). Close: wake all; take() returns false.
  void setFlushing(bool flushing);
  bool waitEmpty(Clock::time_point deadline);
  void close();

  // Appends from now on go to a new generation of `shards` shards; returns its number.
  uint64_t reshard(uint32_t shards);
  uint64_t generation();
  uint32_t shardCount();

  QueueStats stats();
  uint64_t recoveredEntries() const { return recovered_entries_; }

 private:
  struct Meta {
    uint64_t generation;
    uint32_t shard;
    uint32_t samples;
    uint64_t bytes;
    int64_t min_ts, max_ts;
    Clock::time_point enqueued;
    enum State : uint8_t { kQueued, kAhead, kInFlight } state = kQueued;
  };
  struct ShardState {
    std::deque<uint64_t> seqs;  // in order; the first `leased` are read ahead or in flight
    size_t leased = 0;
    uint64_t leased_samples = 0;
  };
  struct Generation {
    std::vector<ShardState> shards;
    uint64_t entries = 0;
  };

  void recover();
  bool blocked(uint64_t generation, uint32_t shard) const {
    return (shard != 0 && legacy_left_ > 0) || generations_.begin()->first < generation;
  }
  Generation& current() { return generations_.rbegin()->second; }
  bool makeRoom(uint64_t incoming, std::vector<uint64_t>* victims);
  void forget(uint64_t seq);
  void unlease(uint64_t seq);
  std::string readPayloads(const std::vector<uint64_t>& seqs);

  QueueOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Meta> index_;
  std::map<uint64_t, Generation> generations_;  // oldest first; the last takes appends
  uint64_t next_seq_ = 1;
  uint64_t bytes_ = 0, samples_ = 0, leased_samples_ = 0;
  uint64_t legacy_barrier_ = 0, legacy_left_ = 0;
  uint64_t recovered_entries_ = 0;
  bool flushing_ = false, closed_ = false;
};

}  // namespace strata::rwexporter
