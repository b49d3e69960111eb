#include "series_stream.h"

#include <algorithm>
#include <stdexcept>

#include "aggregate_read.h"
#include "tsdb/chunkenc/aggr_chunk.h"
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

SeriesStream::SeriesStream(std::vector<std::unique_ptr<BlockSeriesCursor>> cursors, int aggr,
                           std::unique_ptr<SelectLimiter::Slot> slot,
                           std::shared_ptr<QueryBudget> budget)
    : cursors_(std::move(cursors)),
      aggr_(aggr),
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
  std::vector<Part> parts;
  while (!heap_.empty()) {
    parts.clear();
    labels_ = cursors_[heap_.front()]->labels();
    // Every cursor at these labels contributes; each then moves on.
    std::vector<size_t> done;
    while (!heap_.empty() && tsdb::compareLabels(cursors_[heap_.front()]->labels(), labels_) == 0) {
      std::pop_heap(heap_.begin(), heap_.end(), Greater{&cursors_});
      size_t i = heap_.back();
      heap_.pop_back();
      parts.push_back({i, cursors_[i]->chunks(), cursors_[i]->encodings()});
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

void SeriesStream::decodeCurrent(const std::vector<Part>& parts) {
  // Parts come in cursor (ULID) order: the heap breaks label ties by cursor index.
  samples_.clear();
  const AggrRead mode = AggrRead(aggr_);
  std::vector<std::vector<compact::Sample>> counters;  // counter sub-chunks
  std::vector<std::pair<int64_t, int64_t>> counter_ranges;
  for (const auto& [i, chunks, enc] : parts) {
    const auto& c = *cursors_[i];
    const int64_t lo = c.minTime(), hi = c.maxTime();
    try {
      for (size_t k = 0; k < chunks.size(); ++k) {
        const auto& data = chunks[k];
        if (enc[k] == tsdb::kEncAggr) {
          if (mode == AggrRead::kCounter) {
            counters.push_back(readCounter(data.data(), data.size()));
            counter_ranges.push_back({lo, hi});
          } else {
            readAggregate(data.data(), data.size(), mode, lo, hi, &samples_);
          }
          continue;
        }
        tsdb::XorIterator it(data.data(), data.size());
        while (it.next())
          if (it.t() >= lo && it.t() <= hi) samples_.push_back({it.t(), it.v()});
        if (it.error()) throw std::runtime_error("corrupt chunk");
      }
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("block " + c.block().meta.ulid + ": " + e.what());
    }
  }
  if (!counters.empty()) {
    std::stable_sort(counters.begin(), counters.end(), [](const auto& a, const auto& b) {
      return !a.empty() && (b.empty() || a.front().t < b.front().t);
    });
    for (const auto& s : compact::applyCounterResets(counters).samples)
      for (const auto& [lo, hi] : counter_ranges)
        if (s.t >= lo && s.t <= hi) {
          samples_.push_back({s.t, s.v});
          break;
        }
  }
  if (parts.size() == 1 && counters.empty()) return;  // one block: in order, one per timestamp
  std::stable_sort(samples_.begin(), samples_.end(),
                   [](const Sample& a, const Sample& b) { return a.t < b.t; });
  samples_.erase(std::unique(samples_.begin(), samples_.end(),
                             [](const Sample& a, const Sample& b) { return a.t == b.t; }),
                 samples_.end());
}

}  // namespace strata::store_gateway
