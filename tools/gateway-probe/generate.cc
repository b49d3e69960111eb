// Synthetic blocks: `series` series {__name__="probe_metric", series="<n>"} sampled every
// step_ms over consecutive 2 h blocks, values random (XOR barely compresses them, so the
// bucket is big for its sample count), 120 samples per chunk.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>

#include "probe.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::probe {

int generate(const GenerateArgs& a) {
  namespace fs = std::filesystem;
  fs::create_directories(a.out);
  const int64_t block_ms = 2 * 3600 * 1000;
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> value(0, 1e6);
  uint64_t samples = 0, bytes = 0;
  // Names sorted as strings, as the writer wants them.
  std::vector<std::string> names;
  for (int s = 0; s < a.series; ++s) names.push_back(std::to_string(s));
  std::sort(names.begin(), names.end());
  for (int b = 0; b < a.blocks; ++b) {
    int64_t lo = a.start_ms + b * block_ms, hi = lo + block_ms;
    tsdb::BlockMeta meta;
    meta.min_time = lo;
    meta.max_time = hi;
    tsdb::StreamingBlockWriter w(a.out, meta, "probe");
    for (const auto& n : names) {
      std::vector<tsdb::ChunkData> chunks;
      tsdb::XorAppender app;
      int in_chunk = 0;
      for (int64_t t = lo; t < hi; t += a.step_ms) {
        app.append(t, value(rng));
        ++samples;
        if (++in_chunk == 120) {
          chunks.push_back({app.minTime(), app.maxTime(), app.bytes()});
          app = tsdb::XorAppender();
          in_chunk = 0;
        }
      }
      if (in_chunk) chunks.push_back({app.minTime(), app.maxTime(), app.bytes()});
      w.addSeries({{"__name__", "probe_metric"}, {"series", n}}, std::move(chunks));
    }
    fs::path dir = w.finish();
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename() != "meta.json") bytes += e.file_size();
  }
  std::printf("samples=%llu bytes=%llu\n", (unsigned long long)samples, (unsigned long long)bytes);
  return 0;
}

}  // namespace strata::probe
