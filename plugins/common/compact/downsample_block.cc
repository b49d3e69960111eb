#include "compact/downsample_block.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "compact/downsample.h"
#include "compact/series_merge.h"
#include "compact/source_block.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/block/ulid.h"
#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"

namespace strata::compact {

namespace fs = std::filesystem;

int64_t nextResolution(int64_t resolution_ms) {
  if (resolution_ms == 0) return kRes5m;
  if (resolution_ms == kRes5m) return kRes1h;
  return 0;
}

tsdb::BlockMeta downsampledMeta(const tsdb::BlockMeta& source, int64_t resolution_ms,
                                const std::string& ulid) {
  tsdb::BlockMeta m = source;
  m.ulid = ulid;
  m.num_samples = m.num_series = m.num_chunks = 0;
  if (m.compaction_sources.empty()) m.compaction_sources.push_back(source.ulid);
  m.downsample_resolution_ms = resolution_ms;
  m.thanos_source = "compactor";
  return m;
}

namespace {

std::vector<tsdb::ChunkData> downsampleSeries(const tsdb::BlockMeta& source, int64_t resolution,
                                              const std::vector<tsdb::ChunkData>& chunks) {
  auto bad = [&](const std::string& what) {
    throw CorruptBlock(source.ulid, "block " + source.ulid + ": " + what);
  };
  if (source.downsample_resolution_ms == 0) {
    std::vector<Sample> raw;
    for (const auto& c : chunks) {
      if (c.encoding != tsdb::kEncXor) bad("an aggregate chunk in a raw block");
      tsdb::XorIterator it(c.xor_bytes.data(), c.xor_bytes.size());
      while (it.next()) raw.push_back({it.t(), it.v()});
      if (it.error()) bad("corrupt XOR chunk of a series");
    }
    return downsampleRaw(raw, resolution);
  }
  for (const auto& c : chunks)
    if (c.encoding != tsdb::kEncAggr) bad("an XOR chunk in a downsampled block");
  try {
    return downsampleAggr(chunks, resolution);
  } catch (const std::runtime_error& e) {
    bad(e.what());
  }
  return {};
}

}  // namespace

DownsampleResult downsampleBlock(std::shared_ptr<bucket::Bucket> bkt, const tsdb::BlockMeta& source,
                                 const CompactOptions& options) {
  const int64_t resolution = nextResolution(source.downsample_resolution_ms);
  if (resolution == 0)
    throw std::invalid_argument("block " + source.ulid + " is at the coarsest resolution");
  auto transient = std::make_shared<TransientFlag>();
  auto pool = std::make_shared<WindowPool>(2);
  auto reader = openSourceBlock(bkt, source, options.read_window_bytes, transient, pool);
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  DownsampleResult result;
  result.meta = downsampledMeta(source, resolution, tsdb::newUlid(now.count()));
  fs::create_directories(options.scratch_dir);
  std::string dir;
  try {
    SeriesMerger series({reader.get()});
    tsdb::StreamingBlockWriter writer(options.scratch_dir, result.meta, "compactor");
    const uint64_t total = series.sourceSeries();
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkData> chunks;
    uint64_t n = 0;
    while (true) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      bool more = false;
      try {
        more = series.next(&labels, &chunks);
      } catch (const CorruptBlock&) {
        if (transient->seen) throw std::runtime_error("transient bucket error reading the source");
        throw;
      }
      if (!more) break;
      writer.addSeries(labels, downsampleSeries(source, resolution, chunks));
      chunks.clear();
      if (++n % std::max<uint64_t>(options.progress_every, 1) == 0 && options.progress)
        options.progress(n, total);
    }
    dir = writer.finish();
    std::ifstream in(dir + "/meta.json", std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    result.meta = tsdb::metaFromJson(text, dir + "/meta.json");
    result.uploaded_bytes = uploadBlock(*bkt, dir, result.meta.ulid);
  } catch (...) {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
    throw;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return result;
}

}  // namespace strata::compact
