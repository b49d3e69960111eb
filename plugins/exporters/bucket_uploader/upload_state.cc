#include "upload_state.h"

#include <rocksdb/write_batch.h>

#include <stdexcept>

namespace strata::uploader {
namespace {

// Keys: "p/<ulid>" pending (value: tenant \n dir \n accepted_ms), "d/<ulid>" done (value:
// uploaded_ms), "l/<ulid>" lost.
std::string encode(const PendingBlock& b) {
  return b.tenant + "\n" + b.dir + "\n" + std::to_string(b.accepted_ms);
}

bool decode(const std::string& ulid, const std::string& v, PendingBlock* out) {
  size_t a = v.find('\n');
  size_t b = a == std::string::npos ? a : v.find('\n', a + 1);
  if (b == std::string::npos) return false;
  out->ulid = ulid;
  out->tenant = v.substr(0, a);
  out->dir = v.substr(a + 1, b - a - 1);
  try {
    out->accepted_ms = std::stoll(v.substr(b + 1));
  } catch (...) {
    out->accepted_ms = 0;
  }
  return true;
}

}  // namespace

UploadState::UploadState(const std::string& path) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.keep_log_file_num = 2;
  o.write_buffer_size = 1 << 20;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, path, &db);
  if (!s.ok()) throw std::runtime_error("cannot open upload state " + path + ": " + s.ToString());
  db_.reset(db);
}

BlockState UploadState::state(const std::string& ulid) const {
  std::string v;
  if (db_->Get(rocksdb::ReadOptions(), "d/" + ulid, &v).ok()) return BlockState::kDone;
  if (db_->Get(rocksdb::ReadOptions(), "l/" + ulid, &v).ok()) return BlockState::kLost;
  if (db_->Get(rocksdb::ReadOptions(), "p/" + ulid, &v).ok()) return BlockState::kPending;
  return BlockState::kUnknown;
}

void UploadState::put(const std::string& key, const std::string& value, const std::string& erase) {
  rocksdb::WriteBatch batch;
  batch.Put(key, value);
  if (!erase.empty()) batch.Delete(erase);
  rocksdb::WriteOptions w;
  w.sync = true;
  rocksdb::Status s = db_->Write(w, &batch);
  if (!s.ok()) throw std::runtime_error("upload state write failed: " + s.ToString());
}

void UploadState::markPending(const PendingBlock& block) {
  put("p/" + block.ulid, encode(block), "");
}

void UploadState::markDone(const std::string& ulid, int64_t uploaded_ms) {
  put("d/" + ulid, std::to_string(uploaded_ms), "p/" + ulid);
}

void UploadState::markLost(const std::string& ulid) { put("l/" + ulid, "", "p/" + ulid); }

std::vector<PendingBlock> UploadState::pending() const {
  std::vector<PendingBlock> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("p/"); it->Valid() && it->key().starts_with("p/"); it->Next()) {
    PendingBlock b;
    if (decode(it->key().ToString().substr(2), it->value().ToString(), &b))
      out.push_back(std::move(b));
  }
  return out;
}

}  // namespace strata::uploader
