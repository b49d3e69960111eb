// Cutting the head's oldest range into a block.
#include <algorithm>
#include <chrono>

#include "head/head.h"

namespace strata::block_store {
namespace {

void decodeInto(const uint8_t* data, size_t len, int64_t lo, int64_t hi, std::vector<Sample>* out) {
  tsdb::XorIterator it(data, len);
  while (it.next())
    if (it.t() >= lo && it.t() < hi) out->emplace_back(it.t(), it.v());
}

std::vector<tsdb::ChunkData> encode(const std::vector<Sample>& samples) {
  std::vector<tsdb::ChunkData> out;
  for (size_t i = 0; i < samples.size(); i += kSamplesPerChunk) {
    tsdb::XorAppender app;
    size_t end = std::min(samples.size(), i + kSamplesPerChunk);
    for (size_t k = i; k < end; ++k) app.append(samples[k].first, samples[k].second);
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
  }
  return out;
}

}  // namespace

bool Head::nextCutRange(int64_t* lo, int64_t* hi) const {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t bd = options_.block_duration_ms;
  if (min_t_ > max_t_ || max_t_ - min_t_ <= bd / 2 * 3) return false;
  *lo = floorDiv(min_t_, bd) * bd;
  *hi = *lo + bd;
  return true;
}

std::vector<BlockSeries> Head::collect(int64_t lo, int64_t hi) {
  std::lock_guard<std::mutex> lock(mu_);
  // From now on nothing may enter the range being written, or it would be dropped unseen.
  min_valid_t_ = std::max(min_valid_t_, hi);
  std::vector<BlockSeries> out;
  series_.forEach([&](uint32_t, MemSeries& series) {
    MemSeries* s = &series;
    if (s->open && s->open->numSamples() > 0 && s->open->minTime() < hi)
      s->sealOpen(chunk_file_.get());
    std::vector<tsdb::ChunkData> chunks;
    bool has_ooo = !s->ooo.empty() && s->ooo.front().first < hi;
    if (!has_ooo) {
      // The common case: chunks never straddle a block boundary, so they are copied as is.
      for (const auto& c : s->sealed)
        if (c.min_t >= lo && c.max_t < hi)
          chunks.push_back({c.min_t, c.max_t, sealedBytes(c, chunk_file_.get())});
    } else {
      std::vector<Sample> samples;
      for (const auto& c : s->sealed)
        if (c.min_t < hi && c.max_t >= lo) {
          auto bytes = sealedBytes(c, chunk_file_.get());
          decodeInto(bytes.data(), bytes.size(), lo, hi, &samples);
        }
      for (const auto& x : s->ooo)
        if (x.first >= lo && x.first < hi) samples.push_back(x);
      std::stable_sort(samples.begin(), samples.end(),
                       [](const Sample& a, const Sample& b) { return a.first < b.first; });
      samples.erase(
          std::unique(samples.begin(), samples.end(),
                      [](const Sample& a, const Sample& b) { return a.first == b.first; }),
          samples.end());
      chunks = encode(samples);
    }
    if (!chunks.empty()) out.emplace_back(labelsOf(*s), std::move(chunks));
  });
  return out;
}

HeadGc Head::dropBefore(int64_t hi) {
  std::lock_guard<std::mutex> lock(mu_);
  HeadGc gc;
  series_.forEach([&](uint32_t id, MemSeries& s) {
    s.dropBefore(hi);
    // Empty and nothing newer can arrive for what it had (min valid time is >= hi now).
    if (s.minTime() == std::numeric_limits<int64_t>::max()) gc.removed.push_back(id);
  });
  if (!gc.removed.empty()) {
    std::vector<bool> gone(series_.endId(), false);
    for (uint32_t id : gc.removed) {
      const MemSeries& s = *series_[id];
      for (uint32_t i = 0; i < 2 * s.label_count; ++i) symbols_.release(s.labels[i]);
      series_.erase(id);
      gone[id] = true;
    }
    live_series_ -= gc.removed.size();
    postings_.remove(gone);
    by_hash_.removeIf([&gone](uint32_t id) { return static_cast<bool>(gone[id]); });
    // Amortised: a rebuild costs about what this GC just did (one pass over the live series'
    // labels and the postings), runs at most once per cut, and only once a quarter of the
    // table is dead, so the table stays within 4/3 of its live symbols after every cut.
    if (symbols_.dead() * 4 > symbols_.size()) {
      auto start = std::chrono::steady_clock::now();
      gc.symbols_freed = rebuildSymbols();
      gc.symbols_rebuilt = true;
      gc.symbols_kept = symbols_.size();
      gc.rebuild_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
    }
  }
  recomputeMinTime();
  if (chunk_file_) {
    // Segments of written ranges go; when the head is empty nothing refers to any segment.
    if (min_t_ == std::numeric_limits<int64_t>::max())
      chunk_file_->dropAll();
    else
      chunk_file_->dropBefore(hi);
  }
  return gc;
}

void Head::recomputeMinTime() {
  min_t_ = std::numeric_limits<int64_t>::max();
  series_.forEach([this](uint32_t, const MemSeries& s) { min_t_ = std::min(min_t_, s.minTime()); });
  if (min_t_ == std::numeric_limits<int64_t>::max()) max_t_ = std::numeric_limits<int64_t>::min();
}

}  // namespace strata::block_store
