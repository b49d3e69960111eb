#include "tsdb/block/rechunk.h"

#include <algorithm>
#include <utility>

#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::tsdb {
namespace {

struct Point {
  int64_t t;
  double v;
};

size_t countOf(const ChunkData& c) {
  return c.xor_bytes.size() < 2 ? 0 : size_t{c.xor_bytes[0]} << 8 | c.xor_bytes[1];
}

}  // namespace

std::vector<ChunkData> rechunk(std::vector<ChunkData> chunks, size_t max_samples) {
  if (max_samples == 0 || chunks.empty()) return chunks;
  for (const auto& c : chunks)
    if (c.encoding != kEncXor) return chunks;  // aggregate chunks are written as they come
  max_samples = std::min(max_samples, kMaxChunkSamples);
  size_t total = 0, bytes = 0;
  bool fits = true;
  for (const auto& c : chunks) {
    total += countOf(c);
    bytes += c.xor_bytes.size();
    fits = fits && countOf(c) <= max_samples;
  }
  const size_t want = (total + max_samples - 1) / max_samples;
  if (fits && chunks.size() <= want) return chunks;

  std::vector<Point> points;
  points.reserve(total);
  for (const auto& c : chunks) {
    XorIterator it(c.xor_bytes.data(), c.xor_bytes.size());
    while (it.next()) points.push_back({it.t(), it.v()});
    if (it.error()) return chunks;
  }
  if (points.size() != total) return chunks;

  std::vector<ChunkData> out;
  out.reserve(want);
  size_t pos = 0;
  for (size_t i = 0; i < want; ++i) {
    const size_t n = total / want + (i < total % want ? 1 : 0);
    XorAppender app;
    app.reserveBytes(n * bytes / total + 16);  // about as many bytes per sample as before
    for (size_t k = pos; k < pos + n; ++k) app.append(points[k].t, points[k].v);
    pos += n;
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
  }
  return out;
}

}  // namespace strata::tsdb
