#include "series_stream.h"

#include <algorithm>
#include <stdexcept>

#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::store_gateway {
namespace {

// std heap functions keep the largest first; this puts the smallest labels (then the
// smallest ULID) on top.
struct Greater {
  const std::vector<std::unique_ptr<BlockSeriesCursor>>* cursors;
  bool operator()(size_t a, size_t b) const {
    int c = tsdb::compareLabels((*cursors)[a]->labels(), (*cursors)[b]->labels());
    return c != 0 ? c > 0 : a > b;
  }
};

}  // namespace

SeriesStream::SeriesStream(std::vector<std::unique_ptr<BlockSeriesCursor>> cursors, int64_t min_t,
                           int64_t max_t, std::unique_ptr<SelectLimiter::Slot> slot,
                           std::shared_ptr<QueryBudget> budget)
    : cursors_(std::move(cursors)),
      min_t_(min_t),
      max_t_(max_t),
      slot_(std::move(slot)),
      budget_(std::move(budget)) {}

SeriesStream::~SeriesStream() = default;

void SeriesStream::push(size_t i) {
  if (!cursors_[i]->next()) return;
  heap_.push_back(i);
  std::push_heap(heap_.begin(), heap_.end(), Greater{&cursors_});
}

bool SeriesStream::next() {
  if (!started_) {
    started_ = true;
    for (size_t i = 0; i < cursors_.size(); ++i) push(i);
  }
  std::vector<std::pair<size_t, std::vector<tsdb::ByteView>>> parts;
  while (!heap_.empty()) {
    parts.clear();
    labels_ = cursors_[heap_.front()]->labels();
    // Every cursor at these labels contributes; each then moves on.
    std::vector<size_t> done;
    while (!heap_.empty() && tsdb::compareLabels(cursors_[heap_.front()]->labels(), labels_) == 0) {
      std::pop_heap(heap_.begin(), heap_.end(), Greater{&cursors_});
      size_t i = heap_.back();
      heap_.pop_back();
      parts.emplace_back(i, cursors_[i]->chunks());
      done.push_back(i);
    }
    for (size_t i : done) push(i);
    decodeCurrent(parts);
    if (!samples_.empty()) return true;
  }
  labels_.clear();
  samples_.clear();
  return false;
}

void SeriesStream::decodeCurrent(
    const std::vector<std::pair<size_t, std::vector<tsdb::ByteView>>>& parts) {
  // Parts come in cursor (ULID) order: the heap breaks label ties by cursor index.
  samples_.clear();
  for (const auto& [i, chunks] : parts) {
    for (const auto& c : chunks) {
      tsdb::XorIterator it(c.data(), c.size());
      while (it.next())
        if (it.t() >= min_t_ && it.t() <= max_t_) samples_.push_back({it.t(), it.v()});
      if (it.error())
        throw std::runtime_error("block " + cursors_[i]->block().meta.ulid + ": corrupt chunk");
    }
  }
  if (parts.size() == 1) return;  // one block: already in order, one sample per timestamp
  std::stable_sort(samples_.begin(), samples_.end(),
                   [](const Sample& a, const Sample& b) { return a.t < b.t; });
  samples_.erase(std::unique(samples_.begin(), samples_.end(),
                             [](const Sample& a, const Sample& b) { return a.t == b.t; }),
                 samples_.end());
}

}  // namespace strata::store_gateway
