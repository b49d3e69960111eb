// gateway-probe's two commands (main.cc parses the arguments).
#pragma once

#include <cstdint>
#include <string>

namespace strata::probe {

struct GenerateArgs {
  std::string out;  // bucket directory
  int blocks = 3;   // consecutive 2 h blocks
  int series = 1000;
  int64_t step_ms = 15000;
  int64_t start_ms = 0;  // the first block's minTime
};
// Writes the blocks; prints "samples=N bytes=B" (B: index + chunk bytes written).
int generate(const GenerateArgs& a);

// POSTs a remote read of {__name__=metric} over [start, end] asking for streamed XOR chunks;
// prints "series=S samples=N" of what came back.
int remoteRead(const std::string& url, const std::string& metric, int64_t start_ms, int64_t end_ms);

}  // namespace strata::probe
