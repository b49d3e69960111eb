#include "head/mem_series.h"

#include <algorithm>
#include <cstring>

namespace strata::block_store {

bool sameValue(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void MemSeries::sealOpen() {
  if (!open) return;
  if (open->numSamples() > 0) {
    const auto& bytes = open->bytes();
    SealedChunk c{open->minTime(), open->maxTime(), std::make_unique<uint8_t[]>(bytes.size()),
                  static_cast<uint32_t>(bytes.size())};
    std::memcpy(c.data.get(), bytes.data(), bytes.size());
    sealed.push_back(std::move(c));
  }
  open.reset();
}

void MemSeries::appendInOrder(int64_t t, double v, int64_t block_duration) {
  if (!open || open->numSamples() >= kSamplesPerChunk || t >= chunk_end) {
    sealOpen();
    open = std::make_unique<tsdb::XorAppender>();
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

}  // namespace strata::block_store
