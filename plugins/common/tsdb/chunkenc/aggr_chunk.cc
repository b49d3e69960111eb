#include "tsdb/chunkenc/aggr_chunk.h"

namespace strata::tsdb {
namespace {

void putUvarint(std::vector<uint8_t>& b, uint64_t v) {
  while (v >= 0x80) {
    b.push_back(uint8_t(v) | 0x80);
    v >>= 7;
  }
  b.push_back(uint8_t(v));
}

bool getUvarint(const uint8_t* p, size_t len, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= len) return false;
    uint8_t c = p[(*pos)++];
    v |= uint64_t(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<uint8_t> encodeAggrChunk(const std::array<AggrPart, kAggrTypes>& parts) {
  std::vector<uint8_t> b;
  size_t total = 0;
  for (const auto& p : parts) total += p.data.size() + 6;
  b.reserve(total);
  for (const auto& p : parts) {
    putUvarint(b, p.data.size());
    if (p.data.empty()) continue;
    b.push_back(p.encoding);
    b.insert(b.end(), p.data.begin(), p.data.end());
  }
  return b;
}

bool AggrChunkView::parse(const uint8_t* data, size_t len, std::string* error) {
  size_t pos = 0;
  for (size_t i = 0; i < kAggrTypes; ++i) {
    data_[i] = nullptr;
    len_[i] = 0;
    enc_[i] = 0;
    uint64_t n = 0;
    if (!getUvarint(data, len, &pos, &n)) {
      *error = "aggregate chunk: truncated length of aggregate " + std::to_string(i);
      return false;
    }
    if (n == 0) continue;
    if (pos + 1 + n > len || pos + 1 + n < pos) {
      *error = "aggregate chunk: aggregate " + std::to_string(i) + " runs past the chunk";
      return false;
    }
    enc_[i] = data[pos++];
    data_[i] = data + pos;
    len_[i] = size_t(n);
    pos += size_t(n);
  }
  if (pos != len) {
    *error = "aggregate chunk: " + std::to_string(len - pos) + " trailing bytes";
    return false;
  }
  return true;
}

}  // namespace strata::tsdb
