// Cutting the head's oldest range into a block.
#include <algorithm>

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
  for (auto& s : series_) {
    if (!s) continue;
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
  }
  return out;
}

std::vector<uint32_t> Head::dropBefore(int64_t hi) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<uint32_t> removed;
  std::vector<bool> gone(series_.size(), false);
  for (uint32_t id = 0; id < series_.size(); ++id) {
    auto& s = series_[id];
    if (!s) continue;
    s->dropBefore(hi);
    // Empty and nothing newer can arrive for what it had (min valid time is >= hi now).
    if (s->minTime() == std::numeric_limits<int64_t>::max()) {
      removed.push_back(id);
      gone[id] = true;
      s.reset();
    }
  }
  if (!removed.empty()) {
    live_series_ -= removed.size();
    postings_.remove(gone);
    by_hash_.removeIf([&gone](uint32_t id) { return static_cast<bool>(gone[id]); });
  }
  recomputeMinTime();
  if (chunk_file_) {
    // Segments of written ranges go; when the head is empty nothing refers to any segment.
    if (min_t_ == std::numeric_limits<int64_t>::max())
      chunk_file_->dropAll();
    else
      chunk_file_->dropBefore(hi);
  }
  return removed;
}

void Head::recomputeMinTime() {
  min_t_ = std::numeric_limits<int64_t>::max();
  for (const auto& s : series_)
    if (s) min_t_ = std::min(min_t_, s->minTime());
  if (min_t_ == std::numeric_limits<int64_t>::max()) max_t_ = std::numeric_limits<int64_t>::min();
}

}  // namespace strata::block_store
