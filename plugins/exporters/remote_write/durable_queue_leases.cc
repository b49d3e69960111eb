// DurableQueue's leases: what a shard takes, sends, completes or gives back.
//
// A shard's leased entries are always the front of its part of the queue (ShardState::leased
// of them): take() continues after them, complete() and the byte bound remove entries from
// that front run, giveBack() (newest lease first) shortens it from the back. A leased entry is
// read ahead until startSend() marks it in flight; only in-flight entries are safe from the
// byte bound, so a read-ahead lease may lose entries, or all of them, before it is sent.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "durable_queue.h"
#include "queue_entry.h"

namespace strata::rwexporter {

bool DurableQueue::take(uint64_t generation, uint32_t shard, uint64_t max_samples,
                        std::chrono::milliseconds deadline, Lease* out, PayloadRead read) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (closed_) return false;
    auto gen = generations_.find(generation);
    bool old = generation != generations_.rbegin()->first;
    if (gen == generations_.end()) {
      if (old) return false;  // a generation not started yet cannot be taken from
      cv_.wait(lock);
      continue;
    }
    auto& st = gen->second.shards.at(shard);
    if (old && st.seqs.empty()) return false;  // this shard's part of the old generation is sent
    if (blocked(generation, shard) || st.seqs.size() == st.leased) {
      cv_.wait(lock);
      continue;
    }
    // Gather after the leased entries up to max_samples (at least one entry).
    Lease lease;
    lease.generation = generation;
    lease.shard = shard;
    for (size_t i = st.leased; i < st.seqs.size(); ++i) {
      const auto& m = index_.at(st.seqs[i]);
      if (!lease.seqs.empty() && lease.samples + m.samples > max_samples) break;
      lease.seqs.push_back(st.seqs[i]);
      lease.samples += m.samples;
      lease.max_ts = std::max(lease.max_ts, m.max_ts);
    }
    // Over capacity: wait for a lease to complete (or for the bound to drop entries of one).
    if (st.leased > 0 && st.leased_samples + lease.samples > options_.shard_capacity) {
      cv_.wait(lock);
      continue;
    }
    // Recovered entries (enqueued = min) are due at once.
    auto enqueued = index_.at(st.seqs[st.leased]).enqueued;
    auto due = enqueued == Clock::time_point::min() ? enqueued : enqueued + deadline;
    bool full = lease.samples >= max_samples ||
                lease.seqs.size() < st.seqs.size() - st.leased;  // more waits behind it
    if (!flushing_ && !old && !full && Clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    for (uint64_t s : lease.seqs) index_.at(s).state = Meta::kAhead;
    st.leased += lease.seqs.size();
    st.leased_samples += lease.samples;
    leased_samples_ += lease.samples;
    lock.unlock();
    // Read unlocked: an entry the byte bound drops meanwhile is missing from the payload, and
    // startSend() notices it is gone.
    if (read == PayloadRead::kAtTake) {
      lease.payload = readPayloads(lease.seqs);
      lease.loaded = true;
    }
    *out = std::move(lease);
    return true;
  }
}

bool DurableQueue::startSend(Lease* lease) {
  std::unique_lock lock(mu_);
  std::vector<uint64_t> left;
  uint64_t samples = 0;
  int64_t max_ts = 0;
  for (uint64_t s : lease->seqs) {
    auto it = index_.find(s);
    if (it == index_.end()) continue;
    it->second.state = Meta::kInFlight;
    left.push_back(s);
    samples += it->second.samples;
    max_ts = std::max(max_ts, it->second.max_ts);
  }
  lock.unlock();
  if (left.size() == lease->seqs.size() && lease->loaded) return true;
  lease->seqs = std::move(left);
  lease->samples = samples;
  lease->max_ts = max_ts;
  // In flight now: nobody else deletes them, so read them unlocked.
  lease->payload = lease->seqs.empty() ? std::string() : readPayloads(lease->seqs);
  lease->loaded = true;
  return !lease->seqs.empty();
}

std::string DurableQueue::readPayloads(const std::vector<uint64_t>& seqs) {
  std::string out, value;
  for (uint64_t s : seqs) {
    if (!db_->Get(rocksdb::ReadOptions(), entryKey(s), &value).ok()) continue;
    EntryHeader h;
    std::string_view payload;
    if (decodeEntry(value, &h, &payload)) out.append(payload);
  }
  return out;
}

void DurableQueue::complete(const Lease& lease) {
  std::lock_guard lock(mu_);
  rocksdb::WriteBatch batch;
  for (uint64_t s : lease.seqs) batch.Delete(entryKey(s)).PermitUncheckedError();
  // Not synced: losing a delete on power loss only re-sends, it never loses data.
  db_->Write(rocksdb::WriteOptions(), &batch).PermitUncheckedError();
  for (uint64_t s : lease.seqs) forget(s);
  cv_.notify_all();
}

void DurableQueue::giveBack(const Lease& lease) {
  std::lock_guard lock(mu_);
  auto gen = generations_.find(lease.generation);
  for (uint64_t s : lease.seqs) {
    auto it = index_.find(s);
    if (it == index_.end() || it->second.state == Meta::kQueued) continue;
    it->second.state = Meta::kQueued;
    leased_samples_ -= it->second.samples;
    if (gen == generations_.end()) continue;
    auto& st = gen->second.shards.at(lease.shard);
    st.leased_samples -= it->second.samples;
    st.leased -= std::min<size_t>(st.leased, 1);
  }
  cv_.notify_all();
}

}  // namespace strata::rwexporter
