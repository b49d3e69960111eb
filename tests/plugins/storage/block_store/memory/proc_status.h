// Reading this process' memory figures for the memory probe: a /proc/self/status field (kB)
// and the allocator's view (mallinfo2).
#pragma once

#include <malloc.h>

#include <cstring>
#include <fstream>
#include <string>

namespace strata::memprobe {

inline long procKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(in, line))
    if (line.compare(0, n, field) == 0 && line[n] == ':') return std::stol(line.substr(n + 1));
  return -1;
}

struct Snapshot {
  long rss_kb;
  size_t heap_in_use, heap_arena;
};

inline Snapshot snap() {
  struct mallinfo2 mi = mallinfo2();
  return {procKb("VmRSS"), mi.uordblks + mi.hblkhd, mi.arena + mi.hblkhd};
}

}  // namespace strata::memprobe
