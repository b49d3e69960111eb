// Reading the head: matcher selection over postings and snapshots of chunk bytes that the
// caller decodes lazily after the lock is released.
#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "head/byte_arena.h"
#include "head/head.h"
#include "query/postings_select.h"

namespace strata::block_store {

std::vector<uint32_t> Head::selectIds(const std::vector<Matcher>& matchers) const {
  std::function<std::vector<uint32_t>()> all = [this] { return postings_.all(); };
  std::function<std::vector<uint32_t>(const std::string&,
                                      const std::function<bool(std::string_view)>&)>
      where = [this](const std::string& name, const std::function<bool(std::string_view)>& pred) {
        std::vector<const PostingList*> lists;
        if (auto nid = symbols_.find(name)) {
          for (uint32_t vid : postings_.values(*nid))
            if (pred(symbols_.get(vid))) lists.push_back(postings_.get(*nid, vid));
        }
        return uniteSorted(lists);
      };
  return selectPostings<uint32_t>(matchers, all, where);
}

std::vector<SeriesData> Head::select(const std::vector<Matcher>& matchers, int64_t min_t,
                                     int64_t max_t) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<SeriesData> out;
  auto arena = std::make_shared<ByteArena>();
  auto addChunk = [&](SeriesData& d, int64_t lo, int64_t hi, const uint8_t* bytes, size_t len) {
    ChunkSpec c;
    c.min_t = lo;
    c.max_t = hi;
    c.data = bytes;
    c.len = len;
    c.keep = arena;
    d.chunks.push_back(std::move(c));
  };
  auto ids = selectIds(matchers);
  out.reserve(ids.size());
  for (uint32_t id : ids) {
    const MemSeries& s = *series_[id];
    SeriesData d;
    d.chunks.reserve(2 + std::count_if(s.sealed.begin(), s.sealed.end(), [&](const auto& c) {
                       return c.max_t >= min_t && c.min_t <= max_t;
                     }));
    for (const auto& c : s.sealed) {
      if (c.max_t < min_t || c.min_t > max_t) continue;
      if (c.data) {
        uint8_t* copy = arena->alloc(c.len);
        std::memcpy(copy, c.data.get(), c.len);
        addChunk(d, c.min_t, c.max_t, copy, c.len);
        continue;
      }
      // In the chunk file: read in place, the mapping kept alive by the selection.
      if (!chunk_file_) throw std::runtime_error("head chunk without data");
      ChunkSpec spec;
      spec.min_t = c.min_t;
      spec.max_t = c.max_t;
      spec.data = chunk_file_->view(c.min_t, c.offset, c.len, &spec.keep);
      spec.len = c.len;
      d.chunks.push_back(std::move(spec));
    }
    if (s.open && s.open->numSamples() > 0 && s.open->maxTime() >= min_t &&
        s.open->minTime() <= max_t) {
      const auto& bytes = s.open->bytes();
      uint8_t* copy = arena->alloc(bytes.size());
      std::memcpy(copy, bytes.data(), bytes.size());
      addChunk(d, s.open->minTime(), s.open->maxTime(), copy, bytes.size());
    }
    if (!s.ooo.empty() && s.ooo.back().first >= min_t && s.ooo.front().first <= max_t) {
      auto copy = std::make_shared<std::vector<Sample>>(s.ooo);
      ChunkSpec c;
      c.min_t = copy->front().first;
      c.max_t = copy->back().first;
      c.raw = copy->data();
      c.raw_len = copy->size();
      c.keep = std::move(copy);
      d.chunks.push_back(std::move(c));
    }
    if (d.chunks.empty()) continue;
    d.labels = labelsOf(s);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace strata::block_store
