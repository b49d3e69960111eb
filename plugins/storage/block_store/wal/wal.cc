#include "wal/wal.h"

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>
#include <rocksdb/write_batch.h>

#include <limits>
#include <stdexcept>

#include "wal/wal_codec.h"

namespace strata::block_store {

Wal::Wal(WalOptions options) : options_(std::move(options)) {
  rocksdb::Options opts;
  opts.create_if_missing = true;
  // Small memtables: the head already holds the data in memory; RocksDB is only its log.
  opts.write_buffer_size = 16 << 20;
  opts.max_write_buffer_number = 2;
  opts.max_total_wal_size = 64 << 20;
  opts.keep_log_file_num = 2;
  stats_ = rocksdb::CreateDBStatistics();
  stats_->set_stats_level(rocksdb::StatsLevel::kExceptTimers);
  opts.statistics = stats_;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(opts, options_.dir, &db);
  if (!s.ok()) throw std::runtime_error("wal: cannot open " + options_.dir + ": " + s.ToString());
  db_.reset(db);
  if (!options_.sync_always && options_.sync_interval_ms > 0)
    sync_thread_ = std::thread([this] { syncLoop(); });
}

Wal::~Wal() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
  if (db_) {
    db_->SyncWAL();
    db_->Close();
  }
}

void Wal::syncLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::milliseconds(options_.sync_interval_ms),
                       [this] { return stopping_; })) {
    lock.unlock();
    db_->SyncWAL();
    lock.lock();
  }
}

bool Wal::replay(const WalVisitor& visitor, std::string* error) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  uint64_t max_seq = 0;
  std::string tenant;
  // Key kinds sort D < M < S; metas and series must be applied before samples.
  for (it->Seek("M"); it->Valid() && it->key()[0] == 'M'; it->Next()) {
    int64_t t;
    if (!wal::parseMetaKey(it->key().ToStringView(), &tenant) ||
        !wal::decodeInt64(it->value().ToStringView(), &t)) {
      *error = "wal: corrupt meta record";
      return false;
    }
    visitor.meta(tenant, t);
  }
  tsdb::LabelSet labels;
  for (it->Seek("S"); it->Valid() && it->key()[0] == 'S'; it->Next()) {
    uint32_t ref;
    if (!wal::parseSeriesKey(it->key().ToStringView(), &tenant, &ref) ||
        !wal::decodeLabels(it->value().ToStringView(), &labels)) {
      *error = "wal: corrupt series record";
      return false;
    }
    visitor.series(tenant, ref, labels);
  }
  std::vector<AppendRecord::Samples> samples;
  for (it->Seek("D"); it->Valid() && it->key()[0] == 'D'; it->Next()) {
    uint64_t seq;
    if (!wal::parseSamplesKey(it->key().ToStringView(), &tenant, &seq) ||
        !wal::decodeSamples(it->value().ToStringView(), &samples)) {
      *error = "wal: corrupt samples record";
      return false;
    }
    max_seq = std::max(max_seq, seq);
    visitor.samples(tenant, samples);
  }
  if (!it->status().ok()) {
    *error = "wal: " + it->status().ToString();
    return false;
  }
  seq_ = max_seq + 1;
  return true;
}

bool Wal::write(std::string_view tenant, const AppendRecord& record, std::string* error) {
  if (record.empty()) return true;
  rocksdb::WriteBatch batch;
  for (const auto& s : record.series)
    batch.Put(wal::seriesKey(tenant, s.ref), wal::encodeLabels(s.labels));
  if (!record.samples.empty())
    batch.Put(wal::samplesKey(tenant, record.max_t, seq_++), wal::encodeSamples(record.samples));
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_always;
  auto s = db_->Write(wo, &batch);
  if (!s.ok()) {
    *error = "wal: write failed: " + s.ToString();
    return false;
  }
  return true;
}

uint64_t Wal::walFileSyncs() const { return stats_->getTickerCount(rocksdb::WAL_FILE_SYNCED); }

bool Wal::checkpoint(std::string_view tenant, int64_t min_valid_t, std::string* error) {
  rocksdb::WriteBatch batch;
  std::string begin = wal::samplesKey(tenant, std::numeric_limits<int64_t>::min(), 0);
  std::string end = wal::samplesKey(tenant, min_valid_t, 0);
  batch.DeleteRange(begin, end);
  batch.Put(wal::metaKey(tenant), wal::encodeInt64(min_valid_t));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  auto s = db_->Write(wo, &batch);
  if (!s.ok()) {
    *error = "wal: checkpoint failed: " + s.ToString();
    return false;
  }
  // Compacting the deleted range keeps restart time flat: no tombstoned records to skip.
  rocksdb::Slice b(begin), e(end);
  db_->CompactRange(rocksdb::CompactRangeOptions(), &b, &e);
  return true;
}

}  // namespace strata::block_store
