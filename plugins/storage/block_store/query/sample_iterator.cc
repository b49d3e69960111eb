#include "query/sample_iterator.h"

#include <algorithm>

namespace strata::block_store {

SampleIterator::SampleIterator(std::vector<ChunkSpec> chunks, int64_t min_t, int64_t max_t)
    : chunks_(std::move(chunks)), min_t_(min_t), max_t_(max_t) {
  auto by_min_t = [](const ChunkSpec& a, const ChunkSpec& b) { return a.min_t < b.min_t; };
  // Usually in order already (one source, chunks in time order): no sort, no sort buffer.
  if (!std::is_sorted(chunks_.begin(), chunks_.end(), by_min_t))
    std::stable_sort(chunks_.begin(), chunks_.end(), by_min_t);
}

bool SampleIterator::bytesOf(const ChunkSpec& c, const uint8_t** data, size_t* len) {
  if (c.reader) {
    if (c.reader->chunk(c.ref, data, len)) return true;
    error_ = "cannot read chunk " + std::to_string(c.ref) + " of block " + c.reader->dir();
    return false;
  }
  *data = c.data;
  *len = c.len;
  return true;
}

bool SampleIterator::startRun() {
  stream_.reset();
  buffer_.clear();
  buffer_pos_ = 0;
  size_t first = next_chunk_;
  if (first >= chunks_.size()) return false;
  int64_t run_max = chunks_[first].max_t;
  size_t end = first + 1;
  while (end < chunks_.size() && chunks_[end].min_t <= run_max)
    run_max = std::max(run_max, chunks_[end++].max_t);
  next_chunk_ = end;
  if (end == first + 1 && !chunks_[first].raw) {
    const uint8_t* data;
    size_t len;
    if (!bytesOf(chunks_[first], &data, &len)) return false;
    stream_.emplace(data, len);
    return true;
  }
  for (size_t i = first; i < end; ++i) {
    const auto& c = chunks_[i];
    if (c.raw) {
      buffer_.insert(buffer_.end(), c.raw, c.raw + c.raw_len);
      continue;
    }
    const uint8_t* data;
    size_t len;
    if (!bytesOf(c, &data, &len)) return false;
    tsdb::XorIterator it(data, len);
    while (it.next()) buffer_.emplace_back(it.t(), it.v());
    if (it.error()) {
      error_ = "corrupt chunk";
      return false;
    }
  }
  // Stable: for equal timestamps the chunk listed first (blocks before the head) wins.
  std::stable_sort(buffer_.begin(), buffer_.end(),
                   [](const Sample& a, const Sample& b) { return a.first < b.first; });
  return true;
}

int SampleIterator::next(int64_t* t, double* v) {
  for (;;) {
    if (stream_) {
      while (stream_->next()) {
        int64_t st = stream_->t();
        if (st < min_t_ || st <= last_t_) continue;
        if (st > max_t_) break;
        *t = last_t_ = st;
        *v = stream_->v();
        return 1;
      }
      if (stream_->error()) {
        error_ = "corrupt chunk";
        return -1;
      }
      stream_.reset();
    }
    while (buffer_pos_ < buffer_.size()) {
      const auto& s = buffer_[buffer_pos_++];
      if (s.first < min_t_ || s.first <= last_t_ || s.first > max_t_) continue;
      *t = last_t_ = s.first;
      *v = s.second;
      return 1;
    }
    if (!startRun()) return error_.empty() ? 0 : -1;
  }
}

long SampleIterator::read(int64_t* ts, double* vs, size_t cap) {
  // After a corrupt chunk: the samples before it were handed out, now the error.
  if (!error_.empty()) return -1;
  size_t n = 0;
  while (n < cap) {
    // The common case, one chunk streamed on its own, in a tight loop.
    if (stream_) {
      while (n < cap && stream_->next()) {
        int64_t st = stream_->t();
        if (st < min_t_ || st <= last_t_) continue;
        if (st > max_t_) {
          stream_.reset();
          break;
        }
        ts[n] = last_t_ = st;
        vs[n++] = stream_->v();
      }
      if (n == cap) break;
      if (stream_ && stream_->error()) {
        error_ = "corrupt chunk";
        return n > 0 ? static_cast<long>(n) : -1;
      }
      stream_.reset();
    }
    int r = next(&ts[n], &vs[n]);
    if (r < 0) return n > 0 ? static_cast<long>(n) : -1;
    if (r == 0) break;
    ++n;
  }
  return static_cast<long>(n);
}

}  // namespace strata::block_store
