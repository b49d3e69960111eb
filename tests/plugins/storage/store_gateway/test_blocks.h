// Helpers of the store gateway tests: a temp directory and blocks written by the TSDB
// BlockWriter into a filesystem bucket.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "series_stream.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::store_gateway::testblocks {

class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "strata-gwt-XXXXXX").string();
    if (!::mkdtemp(t.data())) std::abort();
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using Data = std::map<tsdb::LabelSet, std::vector<Sample>>;

// Samples at first, first + step, ... (count of them), value = t / 1000 + offset.
inline std::vector<Sample> ramp(int64_t first, int64_t step, int count, double offset) {
  std::vector<Sample> out;
  for (int i = 0; i < count; ++i)
    out.push_back({first + i * step, double(first + i * step) / 1000 + offset});
  return out;
}

// A block of `data` (chunks of 50 samples) in the bucket directory; returns its ULID.
inline std::string writeBlock(const std::string& dir, const Data& data) {
  tsdb::BlockMeta meta;
  tsdb::BlockWriter w(dir, meta, "test");
  for (const auto& [labels, samples] : data) {
    std::vector<tsdb::ChunkData> chunks;
    for (size_t i = 0; i < samples.size(); i += 50) {
      tsdb::XorAppender app;
      for (size_t j = i; j < std::min(samples.size(), i + 50); ++j)
        app.append(samples[j].t, samples[j].v);
      chunks.push_back({app.minTime(), app.maxTime(), app.bytes()});
    }
    w.addSeries(labels, std::move(chunks));
  }
  return std::filesystem::path(w.finish()).filename().string();
}

}  // namespace strata::store_gateway::testblocks
