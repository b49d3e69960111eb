#include "durable_queue.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "queue_db_options.h"
#include "queue_entry.h"

namespace strata::rwexporter {

DurableQueue::DurableQueue(QueueOptions options) : options_(std::move(options)) {
  if (options_.shards == 0) options_.shards = 1;
  generations_[1].shards.resize(options_.shards);
  std::error_code ec;
  std::filesystem::create_directories(options_.directory, ec);
  rocksdb::Options o = queueDbOptions();
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(o, options_.directory, &db);
  if (!s.ok())
    throw std::runtime_error("queue.directory " + options_.directory + ": " + s.ToString());
  db_.reset(db);
  recover();
}

DurableQueue::~DurableQueue() {
  close();
  if (db_) db_->Close().PermitUncheckedError();
}

void DurableQueue::recover() {
  // First pass: do all stored entries match our shard count? If not, route all to shard 0.
  std::vector<std::pair<uint64_t, EntryHeader>> found;
  std::vector<uint64_t> sizes;
  bool mismatch = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek(std::string(1, kEntryPrefix)); it->Valid(); it->Next()) {
    uint64_t seq;
    if (!parseEntryKey(it->key().ToStringView(), &seq)) break;
    EntryHeader h;
    std::string_view payload;
    if (!decodeEntry(it->value().ToStringView(), &h, &payload)) continue;
    mismatch |= h.shard_count != options_.shards || h.shard >= options_.shards;
    found.emplace_back(seq, h);
    sizes.push_back(it->value().size());
    next_seq_ = seq + 1;
  }
  for (size_t i = 0; i < found.size(); ++i) {
    auto& [seq, h] = found[i];
    uint32_t shard = mismatch ? 0 : h.shard;
    index_[seq] = Meta{1, shard, h.samples, sizes[i], h.min_ts, h.max_ts, Clock::time_point::min()};
    current().shards[shard].seqs.push_back(seq);
    ++current().entries;
    bytes_ += sizes[i];
    samples_ += h.samples;
  }
  recovered_entries_ = found.size();
  if (mismatch && !found.empty()) {
    legacy_barrier_ = found.back().first;
    legacy_left_ = found.size();
  }
}

bool DurableQueue::makeRoom(uint64_t incoming, std::vector<uint64_t>* victims) {
  if (bytes_ + incoming <= options_.max_bytes) return true;
  uint64_t need = bytes_ + incoming - options_.max_bytes, freed = 0;
  for (auto& [seq, m] : index_) {
    if (freed >= need) break;
    if (m.state == Meta::kInFlight) continue;  // being sent right now; the next oldest goes
    victims->push_back(seq);
    freed += m.bytes;
  }
  return freed >= need;
}

void DurableQueue::forget(uint64_t seq) {
  auto it = index_.find(seq);
  if (it == index_.end()) return;
  auto gen = generations_.find(it->second.generation);
  auto& shard = gen->second.shards[it->second.shard];
  for (auto s = shard.seqs.begin(); s != shard.seqs.end(); ++s) {
    if (*s != seq) continue;
    if (static_cast<size_t>(s - shard.seqs.begin()) < shard.leased) --shard.leased;
    shard.seqs.erase(s);
    break;
  }
  if (it->second.state != Meta::kQueued) {
    shard.leased_samples -= it->second.samples;
    leased_samples_ -= it->second.samples;
  }
  bytes_ -= it->second.bytes;
  samples_ -= it->second.samples;
  if (legacy_left_ > 0 && seq <= legacy_barrier_) --legacy_left_;
  index_.erase(it);
  // An old generation is gone with its last entry: the next one's shards may start.
  if (--gen->second.entries == 0 && gen->first != generations_.rbegin()->first)
    generations_.erase(gen);
}

strata_status DurableQueue::append(std::vector<NewEntry> entries, AppendResult* result,
                                   std::string* error) {
  std::lock_guard lock(mu_);
  // Each value is its header then the entry's payload, handed to RocksDB as two parts so the
  // payload is not copied once more before the write batch copies it.
  std::vector<std::string> headers;
  std::vector<uint64_t> sizes;  // of each value
  headers.reserve(entries.size());
  sizes.reserve(entries.size());
  uint64_t incoming = 0;
  for (auto& e : entries) {
    if (e.shard >= options_.shards) {
      *error = "entry for shard " + std::to_string(e.shard) + " of " +
               std::to_string(options_.shards) + " (the shard count changed)";
      return STRATA_RETRY;
    }
    EntryHeader h{e.shard, options_.shards, e.samples, e.min_ts, e.max_ts};
    headers.push_back(encodeEntryHeader(h));
    uint64_t size = headers.back().size() + e.payload.size();
    sizes.push_back(size);
    incoming += size;
    if (size > options_.max_bytes) {
      *error = "one shard's part of the batch (" + std::to_string(size) +
               " bytes) is larger than queue.max_bytes";
      return STRATA_REJECT;
    }
  }
  if (closed_) {
    *error = "queue is closed";
    return STRATA_RETRY;
  }
  std::vector<uint64_t> victims;
  if (!makeRoom(incoming, &victims)) {
    *error = "queue is full and every older entry is being sent";
    return STRATA_RETRY;
  }
  // One RocksDB write per entry (the victims go with the first): a write batch of the whole
  // append would be a second copy of it beside the memtable's, at the edge agent's peak. A
  // failed write leaves the entries before it queued (durable, they will be sent); the caller
  // answers RETRY and the batch comes again whole, so those samples may reach the remote end
  // twice, and none is lost.
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  const auto now = Clock::now();
  const uint64_t gen = generations_.rbegin()->first;
  for (size_t i = 0; i < entries.size(); ++i) {
    NewEntry& e = entries[i];
    const size_t dropping = i == 0 ? victims.size() : 0;
    rocksdb::WriteBatch batch(static_cast<size_t>(sizes[i]) + 64 * (1 + dropping));
    for (size_t v = 0; v < dropping; ++v) batch.Delete(entryKey(victims[v])).PermitUncheckedError();
    const uint64_t seq = next_seq_;
    std::string key = entryKey(seq);
    rocksdb::Slice key_part(key), value_parts[2] = {headers[i], e.payload};
    batch.Put(rocksdb::SliceParts(&key_part, 1), rocksdb::SliceParts(value_parts, 2))
        .PermitUncheckedError();
    std::string().swap(e.payload);  // the write batch holds it now
    auto st = db_->Write(wo, &batch);
    if (!st.ok()) {
      *error = "rocksdb write: " + st.ToString();
      cv_.notify_all();
      return STRATA_RETRY;
    }
    next_seq_ = seq + 1;
    for (size_t v = 0; v < dropping; ++v) {
      result->dropped_samples += index_[victims[v]].samples;
      ++result->dropped_entries;
      forget(victims[v]);
    }
    index_[seq] = Meta{gen, e.shard, e.samples, sizes[i], e.min_ts, e.max_ts, now};
    current().shards[e.shard].seqs.push_back(seq);
    ++current().entries;
    bytes_ += sizes[i];
    samples_ += e.samples;
  }
  cv_.notify_all();
  return STRATA_OK;
}

void DurableQueue::setFlushing(bool flushing) {
  std::lock_guard lock(mu_);
  flushing_ = flushing;
  cv_.notify_all();
}

bool DurableQueue::waitEmpty(Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_until(lock, deadline, [this] { return index_.empty() || closed_; }) &&
         index_.empty();
}

void DurableQueue::close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  cv_.notify_all();
}

uint64_t DurableQueue::reshard(uint32_t shards) {
  std::lock_guard lock(mu_);
  shards = std::max<uint32_t>(shards, 1);
  uint64_t next = generations_.rbegin()->first + 1;
  // An old generation with nothing queued is gone at once.
  if (current().entries == 0) generations_.erase(std::prev(generations_.end()));
  generations_[next].shards.resize(shards);
  options_.shards = shards;
  cv_.notify_all();
  return next;
}

uint64_t DurableQueue::generation() {
  std::lock_guard lock(mu_);
  return generations_.rbegin()->first;
}

uint32_t DurableQueue::shardCount() {
  std::lock_guard lock(mu_);
  return options_.shards;
}

QueueStats DurableQueue::stats() {
  std::lock_guard lock(mu_);
  QueueStats s{bytes_, index_.size(), samples_, 0, leased_samples_};
  if (!index_.empty()) s.oldest_ts = index_.begin()->second.min_ts;
  return s;
}

}  // namespace strata::rwexporter
