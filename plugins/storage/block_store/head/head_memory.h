// Where a head's memory goes, by structure, in bytes the allocator hands out (payload plus
// its per-allocation overhead), for the memory probe and the docs' per-series figures.
#pragma once

#include <cstddef>
#include <string>

namespace strata::block_store {

struct HeadMemory {
  size_t series = 0;          // live series
  size_t series_structs = 0;  // MemSeries objects, their label arrays and the series table
  size_t open_chunks = 0;     // open chunk buffers (capacity, not only the bytes used)
  size_t open_used = 0;       // bytes actually encoded in open chunks
  size_t sealed_chunks = 0;   // sealed chunk arrays and their index
  size_t sealed_used = 0;     // bytes of sealed chunk data
  size_t postings = 0;
  size_t symbols = 0;
  size_t hash_index = 0;    // labels hash -> series id
  size_t symbol_count = 0;  // interned strings (live and dead), not bytes
  size_t total() const {
    return series_structs + open_chunks + sealed_chunks + postings + symbols + hash_index;
  }
};

// glibc's chunk for a request of n bytes: 8 bytes of header, 16-byte granules, 32 at least.
inline size_t mallocBytes(size_t n) {
  if (n == 0) return 0;
  size_t c = (n + 8 + 15) & ~size_t{15};
  return c < 32 ? 32 : c;
}

}  // namespace strata::block_store
