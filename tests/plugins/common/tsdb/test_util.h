// Helpers for the TSDB format tests: a self-removing temp dir and chunk building.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tsdb/block/block_writer.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::tsdb::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "strata-tsdb-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) std::abort();
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Sample {
  int64_t t;
  double v;
};

// Cuts samples into XOR chunks of at most per_chunk samples, as a head would.
inline std::vector<ChunkData> makeChunks(const std::vector<Sample>& samples,
                                         size_t per_chunk = 120) {
  std::vector<ChunkData> out;
  XorAppender app;
  auto flush = [&] {
    if (app.numSamples() == 0) return;
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
    app = XorAppender();
  };
  for (const auto& s : samples) {
    if (app.numSamples() == per_chunk) flush();
    app.append(s.t, s.v);
  }
  flush();
  return out;
}

inline std::vector<Sample> decodeAll(const uint8_t* data, size_t len, bool* ok = nullptr) {
  std::vector<Sample> out;
  XorIterator it(data, len);
  while (it.next()) out.push_back({it.t(), it.v()});
  if (ok) *ok = !it.error();
  return out;
}

}  // namespace strata::tsdb::testing
