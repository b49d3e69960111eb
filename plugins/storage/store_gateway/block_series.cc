#include "block_series.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/chunks/chunk_segments.h"
#include "tsdb/index/index_format.h"

namespace strata::store_gateway {

BlockSeriesCursor::BlockSeriesCursor(std::shared_ptr<const BucketBlock> block,
                                     const SelectParams& params)
    : block_(std::move(block)), p_(params) {
  refs_ = candidateRefs(*block_->index, *p_.matchers);
}

void BlockSeriesCursor::corrupt(const std::string& what) const {
  throw std::runtime_error("block " + block_->meta.ulid + ": " + what);
}

tsdb::ByteView BlockSeriesCursor::fetch(const std::string& object, ByteRange r) const {
  if (p_.budget) p_.budget->charge(r.length);
  auto bytes = block_->bucket->getRange(object, r.offset, r.length);
  if (p_.observe) p_.observe(bytes.size());
  if (bytes.size() != r.length) corrupt(object + ": short read");
  return tsdb::ByteView(std::move(bytes));
}

bool BlockSeriesCursor::next() {
  for (;;) {
    if (cur_ < batch_.size()) {
      ++cur_;
      return true;
    }
    if (next_ref_ >= refs_.size()) {
      batch_.clear();
      cur_ = 0;
      return false;
    }
    loadBatch();
  }
}

void BlockSeriesCursor::loadBatch() {
  batch_.clear();
  cur_ = 0;
  size_t from = next_ref_, to = std::min(refs_.size(), from + std::max<size_t>(1, p_.batch_size));
  next_ref_ = to;
  readEntries(from, to);
  readChunks();
}

// Series entries of refs_[from, to): cached ones from the series cache, the others in merged
// ranges, each guessed to end at the next ref's entry (or kSeriesGuess bytes on).
void BlockSeriesCursor::readEntries(size_t from, size_t to) {
  const auto& index = *block_->index;
  const std::string& object = block_->index_object;
  KindCache* cache = p_.caches ? &p_.caches->series : nullptr;
  std::vector<std::optional<std::vector<uint8_t>>> cached(to - from);
  std::vector<ByteRange> wanted;
  for (size_t i = from; i < to; ++i) {
    uint64_t off = refs_[i] * tsdb::kSeriesAlign;
    if (off >= block_->index_size) corrupt("bad series reference");
    if (cache) cached[i - from] = cache->get(object, off, 0);
    if (cached[i - from]) continue;
    uint64_t end = std::min(block_->index_size, off + kSeriesGuess);
    if (i + 1 < to) end = std::min(end, std::max(off + 1, refs_[i + 1] * tsdb::kSeriesAlign));
    wanted.push_back({off, end - off});
  }
  FetchedRanges fetched;
  for (const auto& r : mergeRanges(wanted, p_.gap_bytes)) fetched.add(r, fetch(object, r));

  Series s;
  for (size_t i = from; i < to; ++i) {
    uint64_t off = refs_[i] * tsdb::kSeriesAlign;
    tsdb::ByteView bytes = cached[i - from] ? tsdb::ByteView(std::move(*cached[i - from]))
                                            : fetched.slice(off, block_->index_size - off);
    size_t need = 0;
    auto d = index.decodeSeries(refs_[i], bytes.data(), bytes.size(), &s.labels, &s.chunks, &need);
    if (d == tsdb::IndexReader::Decode::kShort) {
      bytes = fetch(object, {off, need});
      d = index.decodeSeries(refs_[i], bytes.data(), bytes.size(), &s.labels, &s.chunks, &need);
    }
    if (d != tsdb::IndexReader::Decode::kOk)
      corrupt("corrupt series entry (ref " + std::to_string(refs_[i]) + ")");
    if (cache && !cached[i - from])
      cache->put(object, off, 0, std::vector<uint8_t>(bytes.data(), bytes.data() + need));
    if (!labelsMatch(s.labels, *p_.matchers)) continue;
    std::erase_if(s.chunks, [&](const tsdb::IndexChunkMeta& c) {
      return c.max_time < p_.min_t || c.min_time > p_.max_t;
    });
    if (!s.chunks.empty()) batch_.push_back(std::move(s));
    s = Series{};
  }
}

// The chunks of the batch's series: per segment, cached ones from the chunk cache, the others
// in merged ranges (a chunk guessed to end where the series' next chunk starts, or kChunkGuess
// bytes on).
void BlockSeriesCursor::readChunks() {
  KindCache* cache = p_.caches ? &p_.caches->chunks : nullptr;
  const auto& segs = block_->segments;
  std::map<size_t, std::vector<ByteRange>> wanted;  // by segment
  for (auto& s : batch_) {
    s.data.assign(s.chunks.size(), {});
    s.enc.assign(s.chunks.size(), tsdb::kEncXor);
    for (size_t k = 0; k < s.chunks.size(); ++k) {
      size_t seg = size_t(s.chunks[k].ref >> 32);
      uint64_t off = s.chunks[k].ref & 0xffffffffu;
      if (seg >= segs.size() || off >= segs[seg].size) corrupt("bad chunk reference");
      if (cache) {
        if (auto hit = cache->get(segs[seg].object, off, 0)) {
          s.data[k] = tsdb::ByteView(std::move(*hit));
          continue;
        }
      }
      uint64_t end = std::min(segs[seg].size, off + kChunkGuess);
      if (k + 1 < s.chunks.size() && size_t(s.chunks[k + 1].ref >> 32) == seg) {
        uint64_t next = s.chunks[k + 1].ref & 0xffffffffu;
        if (next > off) end = std::min(end, next);
      }
      wanted[seg].push_back({off, end - off});
    }
  }
  std::map<size_t, FetchedRanges> fetched;
  for (auto& [seg, ranges] : wanted)
    for (const auto& r : mergeRanges(std::move(ranges), p_.gap_bytes))
      fetched[seg].add(r, fetch(segs[seg].object, r));

  for (auto& s : batch_) {
    for (size_t k = 0; k < s.chunks.size(); ++k) {
      size_t seg = size_t(s.chunks[k].ref >> 32);
      uint64_t off = s.chunks[k].ref & 0xffffffffu;
      bool from_cache = !s.data[k].empty();
      tsdb::ByteView bytes = from_cache ? s.data[k] : fetched[seg].slice(off, segs[seg].size - off);
      uint8_t enc = 0;
      const uint8_t* data = nullptr;
      size_t len = 0, need = 0;
      auto d = tsdb::decodeChunk(bytes.data(), bytes.size(), &enc, &data, &len, &need);
      if (d == tsdb::ChunkDecode::kShort && need <= segs[seg].size - off) {
        bytes = fetch(segs[seg].object, {off, need});
        d = tsdb::decodeChunk(bytes.data(), bytes.size(), &enc, &data, &len, &need);
      }
      if (d != tsdb::ChunkDecode::kOk)
        corrupt(segs[seg].object + ": chunk at " + std::to_string(off) + " corrupt");
      bool aggr = enc == tsdb::kEncAggr && block_->meta.downsample_resolution_ms != 0;
      if (enc != tsdb::kEncXor && !aggr)
        corrupt("chunk encoding " + std::to_string(enc) + " not supported (histograms)");
      s.enc[k] = enc;
      size_t head = size_t(data - bytes.data());
      if (cache && !from_cache)
        cache->put(segs[seg].object, off, 0,
                   std::vector<uint8_t>(bytes.data(), bytes.data() + head + len + 4));
      s.data[k] = bytes.sub(head, len);
    }
  }
}

}  // namespace strata::store_gateway
