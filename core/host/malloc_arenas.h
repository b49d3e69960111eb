// server.malloc_arena_max: caps glibc's malloc arenas. glibc gives threads their own arenas (up
// to 8 per core) and each keeps what its thread freed; an edge agent's scrape, processor,
// exporter and RocksDB threads each touch a few MB at every scrape, so its peak RSS was the
// sum of those arenas' high-water marks. Measured on the edge agent at 10,000 series: VmHWM
// 63 MB with glibc's default, 48 MB with one arena, the same CPU per scrape (its threads hand
// one batch down a chain, so they rarely allocate at the same moment). The central server
// keeps glibc's default (0).
#pragma once

#include <cstdint>

namespace strata::host {

// Applies `max` (> 0) unless MALLOC_ARENA_MAX is set in the environment. Call before the
// pipeline starts its threads: arenas that already exist stay.
void limitMallocArenas(int64_t max);

}  // namespace strata::host
