// Test fixtures for compaction: blocks written with tsdb::BlockWriter straight into a
// filesystem bucket's directory (the bucket layout is the block directory layout), and the
// samples of blocks read back, to compare what compaction wrote with what it read.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tsdb/block/block_reader.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::compact::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "strata-compact-XXXXXX").string();
    if (!::mkdtemp(t.data())) std::abort();
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

using Samples = std::vector<std::pair<int64_t, double>>;
using Data = std::map<tsdb::LabelSet, Samples>;

inline constexpr int64_t kHour = 3600'000;

// Samples every `step` ms in [from, to), value = t / 1000 + offset.
inline Samples samples(int64_t from, int64_t to, int64_t step, double offset = 0) {
  Samples out;
  for (int64_t t = from; t < to; t += step) out.push_back({t, double(t) / 1000 + offset});
  return out;
}

inline std::vector<tsdb::ChunkData> chunksOf(const Samples& s, size_t per_chunk = 120) {
  std::vector<tsdb::ChunkData> out;
  for (size_t i = 0; i < s.size(); i += per_chunk) {
    tsdb::XorAppender app;
    for (size_t j = i; j < std::min(s.size(), i + per_chunk); ++j)
      app.append(s[j].first, s[j].second);
    out.push_back({app.minTime(), app.maxTime(), app.bytes()});
  }
  return out;
}

// A level-1 block over [min_t, max_t) in the bucket directory; returns its ULID.
inline std::string writeBlock(const std::string& bucket_dir, int64_t min_t, int64_t max_t,
                              const Data& data, std::map<std::string, std::string> ext = {}) {
  tsdb::BlockMeta meta;
  meta.min_time = min_t;
  meta.max_time = max_t;
  meta.thanos_labels = std::move(ext);
  tsdb::BlockWriter w(bucket_dir, meta, "test");
  for (const auto& [labels, s] : data) w.addSeries(labels, chunksOf(s));
  std::string dir = w.finish();
  fs::remove(fs::path(dir) / "tombstones");  // as uploaded: Thanos ships no tombstones
  return fs::path(dir).filename().string();
}

// Every sample of a local block, per series.
inline Data readBlock(const std::string& dir) {
  Data out;
  auto r = tsdb::BlockReader::open(dir);
  for (uint64_t ref : r->postings("", "")) {
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkRef> chunks;
    if (!r->series(ref, &labels, &chunks)) std::abort();
    Samples& s = out[labels];
    for (const auto& c : chunks) {
      const uint8_t* p;
      size_t n;
      if (!r->chunk(c.ref, &p, &n)) std::abort();
      tsdb::XorIterator it(p, n);
      while (it.next()) s.push_back({it.t(), it.v()});
    }
  }
  return out;
}

// Blocks of the bucket directory that have meta.json and no deletion mark.
inline std::vector<std::string> liveBlocks(const std::string& bucket_dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(bucket_dir))
    if (fs::exists(e.path() / "meta.json") && !fs::exists(e.path() / "deletion-mark.json"))
      out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Every sample of the live blocks, each as often as it is stored (duplicates kept).
inline Data readLive(const std::string& bucket_dir) {
  Data all;
  for (const auto& b : liveBlocks(bucket_dir))
    for (auto& [labels, s] : readBlock(bucket_dir + "/" + b))
      all[labels].insert(all[labels].end(), s.begin(), s.end());
  for (auto& [labels, s] : all) std::sort(s.begin(), s.end());
  return all;
}

// Union of data sets, sorted, one sample per timestamp (the first given wins).
inline Data unionOf(const std::vector<Data>& sets) {
  std::map<tsdb::LabelSet, std::map<int64_t, double>> merged;
  for (const auto& d : sets)
    for (const auto& [labels, s] : d)
      for (const auto& [t, v] : s) merged[labels].emplace(t, v);
  Data all;
  for (const auto& [labels, m] : merged) all[labels].assign(m.begin(), m.end());
  return all;
}

}  // namespace strata::compact::testing
