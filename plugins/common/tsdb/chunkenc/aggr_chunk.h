// Thanos' aggregate chunk (AggrChunk, chunk encoding 0xff), the chunk of downsampled blocks
// (meta.json thanos.downsample.resolution 300000 or 3600000). Its data is up to five
// sub-chunks, one per aggregate, in this order: count, sum, min, max, counter. Each is
//   uvarint length | encoding byte | chunk data (length bytes)
// and an absent aggregate is a single uvarint 0 (no encoding byte). The sub-chunks are XOR
// chunks. One sample per downsampling window, at the window's last millisecond, except in the
// counter sub-chunk, which also holds the raw first value (at its own time) and ends with the
// raw last value, at a timestamp not after the sample before it: that is how readers tell it
// apart from a window (see compact/counter_resets.h).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace strata::tsdb {

inline constexpr uint8_t kEncAggr = 0xff;

enum class AggrType : uint8_t { kCount = 0, kSum = 1, kMin = 2, kMax = 3, kCounter = 4 };
inline constexpr size_t kAggrTypes = 5;

// One sub-chunk: its encoding byte and data; empty data = the aggregate is absent.
struct AggrPart {
  uint8_t encoding = 0;
  std::vector<uint8_t> data;
};

// The aggregate chunk's data (without the outer 0xff encoding byte).
std::vector<uint8_t> encodeAggrChunk(const std::array<AggrPart, kAggrTypes>& parts);

// A parsed aggregate chunk: views into the caller's bytes.
class AggrChunkView {
 public:
  // False (and *error) when the data is truncated or has trailing bytes.
  bool parse(const uint8_t* data, size_t len, std::string* error);
  bool has(AggrType t) const { return len_[size_t(t)] > 0; }
  uint8_t encoding(AggrType t) const { return enc_[size_t(t)]; }
  const uint8_t* data(AggrType t) const { return data_[size_t(t)]; }
  size_t size(AggrType t) const { return len_[size_t(t)]; }

 private:
  std::array<const uint8_t*, kAggrTypes> data_{};
  std::array<size_t, kAggrTypes> len_{};
  std::array<uint8_t, kAggrTypes> enc_{};
};

}  // namespace strata::tsdb
