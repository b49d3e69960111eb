#include "head/mem_series.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "head/chunk_file.h"
#include "head/head_memory.h"

namespace strata::block_store {

bool sameValue(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void MemSeries::sealOpen(ChunkFile* file, ChunkStats* stats) {
  if (!open) return;
  if (open->numSamples() > 0) {
    if (stats) {
      stats->bytes += open->sizeBytes();
      stats->samples += open->numSamples();
    }
    const auto& bytes = open->bytes();
    SealedChunk c{open->minTime(), open->maxTime(), nullptr, 0,
                  static_cast<uint32_t>(bytes.size())};
    if (!file || !file->write(c.min_t, bytes.data(), bytes.size(), &c.offset)) {
      c.data = std::make_unique<uint8_t[]>(bytes.size());
      std::memcpy(c.data.get(), bytes.data(), bytes.size());
    }
    sealed.push_back(std::move(c));
  }
  open.reset();
}

std::vector<uint8_t> sealedBytes(const SealedChunk& c, const ChunkFile* file) {
  if (c.data) return {c.data.get(), c.data.get() + c.len};
  std::vector<uint8_t> out(c.len);
  if (!file) throw std::runtime_error("head chunk without data");
  file->read(c.min_t, c.offset, c.len, out.data());
  return out;
}

void MemSeries::appendInOrder(int64_t t, double v, int64_t block_duration, ChunkFile* file,
                              ChunkStats* stats) {
  if (!open || open->numSamples() >= kSamplesPerChunk || t >= chunk_end) {
    sealOpen(file, stats);
    open = std::make_unique<tsdb::XorAppender>();
    // The next chunk of a series is usually about as large as its last full one; a new
    // series' as large as the head's average chunk.
    if (!sealed.empty() && sealed.back().len > 64)
      open->reserveBytes(sealed.back().len + 32);
    else if (stats)
      open->reserveBytes(stats->firstChunkGuess());
    chunk_end = (floorDiv(t, block_duration) + 1) * block_duration;
  }
  open->append(t, v);
  last_t = t;
  last_v = v;
}

AppendOutcome MemSeries::insertOutOfOrder(int64_t t, double v) {
  auto it = std::lower_bound(ooo.begin(), ooo.end(), t,
                             [](const Sample& s, int64_t x) { return s.first < x; });
  if (it != ooo.end() && it->first == t)
    return sameValue(it->second, v) ? AppendOutcome::kIgnored : AppendOutcome::kDuplicate;
  ooo.insert(it, {t, v});
  return AppendOutcome::kAppended;
}

void MemSeries::dropBefore(int64_t t) {
  sealed.erase(std::remove_if(sealed.begin(), sealed.end(),
                              [t](const SealedChunk& c) { return c.max_t < t; }),
               sealed.end());
  if (open && open->numSamples() > 0 && open->maxTime() < t) open.reset();
  ooo.erase(ooo.begin(), std::lower_bound(ooo.begin(), ooo.end(), t,
                                          [](const Sample& s, int64_t x) { return s.first < x; }));
  if (ooo.empty()) ooo.shrink_to_fit();
}

int64_t MemSeries::minTime() const {
  int64_t m = std::numeric_limits<int64_t>::max();
  if (!sealed.empty()) m = std::min(m, sealed.front().min_t);
  if (open && open->numSamples() > 0) m = std::min(m, open->minTime());
  if (!ooo.empty()) m = std::min(m, ooo.front().first);
  return m;
}

bool MemSeries::overlaps(int64_t min_t, int64_t max_t) const {
  if (open && open->numSamples() > 0 && open->maxTime() >= min_t && open->minTime() <= max_t)
    return true;
  for (const auto& c : sealed)
    if (c.max_t >= min_t && c.min_t <= max_t) return true;
  auto it = std::lower_bound(ooo.begin(), ooo.end(), min_t,
                             [](const Sample& s, int64_t x) { return s.first < x; });
  return it != ooo.end() && it->first <= max_t;
}

size_t MemSeries::labelBytes() const { return mallocBytes(label_count * 2 * sizeof(uint32_t)); }

size_t MemSeries::openChunkBytes() const {
  return open ? mallocBytes(sizeof(tsdb::XorAppender)) + mallocBytes(open->capacityBytes()) : 0;
}

size_t MemSeries::openChunkUsed() const { return open ? open->sizeBytes() : 0; }

size_t MemSeries::sealedBytes(size_t* used) const {
  size_t n = mallocBytes(sealed.capacity() * sizeof(SealedChunk));
  for (const auto& c : sealed) {
    if (c.data) n += mallocBytes(c.len);
    *used += c.len;
  }
  return n;
}

}  // namespace strata::block_store
