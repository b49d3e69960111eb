#include "compact/compact_group.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "bucket/bucket_layout.h"
#include "compact/source_block.h"
#include "tsdb/block/block_writer.h"
#include "tsdb/block/ulid.h"

namespace strata::compact {

namespace fs = std::filesystem;

namespace {

tsdb::BlockMeta readLocalMeta(const std::string& dir) {
  std::ifstream in(dir + "/meta.json", std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return tsdb::metaFromJson(text, dir + "/meta.json");
}

}  // namespace

tsdb::BlockMeta outputMeta(const std::vector<tsdb::BlockMeta>& group, const StreamKey& stream,
                           const std::string& ulid) {
  tsdb::BlockMeta m;
  m.ulid = ulid;
  m.min_time = INT64_MAX;
  m.max_time = INT64_MIN;
  std::set<std::string> sources;
  int level = 0;
  for (const auto& g : group) {
    m.min_time = std::min(m.min_time, g.min_time);
    m.max_time = std::max(m.max_time, g.max_time);
    level = std::max(level, g.compaction_level);
    if (g.compaction_sources.empty()) sources.insert(g.ulid);
    sources.insert(g.compaction_sources.begin(), g.compaction_sources.end());
    m.compaction_parents.push_back({g.ulid, g.min_time, g.max_time});
  }
  m.compaction_level = level + 1;
  m.compaction_sources.assign(sources.begin(), sources.end());
  m.thanos_labels = stream.labels;
  m.downsample_resolution_ms = stream.resolution_ms;
  return m;
}

uint64_t uploadBlock(bucket::Bucket& bkt, const std::string& dir, const std::string& ulid) {
  uint64_t bytes = 0;
  auto up = [&](const std::string& name, const fs::path& path) {
    bkt.uploadFile(name, path.string());
    bytes += fs::file_size(path);
  };
  up(bucket::blockIndexName(ulid), fs::path(dir) / "index");
  std::vector<fs::path> segments;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "chunks"))
    if (e.is_regular_file()) segments.push_back(e.path());
  std::sort(segments.begin(), segments.end());
  for (const auto& s : segments) up(bucket::blockChunksPrefix(ulid) + s.filename().string(), s);
  up(bucket::blockMetaName(ulid), fs::path(dir) / "meta.json");  // last: the block is complete
  return bytes;
}

CompactResult compactGroup(std::shared_ptr<bucket::Bucket> bkt,
                           const std::vector<tsdb::BlockMeta>& group, const StreamKey& stream,
                           const CompactOptions& options) {
  auto transient = std::make_shared<TransientFlag>();
  // Two windows per source: its index and the chunk segment being read.
  auto pool = std::make_shared<WindowPool>(2 * group.size());
  std::vector<std::unique_ptr<tsdb::BlockReader>> readers;
  std::vector<const tsdb::BlockReader*> sources;
  for (const auto& m : group) {
    readers.push_back(openSourceBlock(bkt, m, options.read_window_bytes, transient, pool));
    sources.push_back(readers.back().get());
  }
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  CompactResult result;
  result.meta = outputMeta(group, stream, tsdb::newUlid(now.count()));
  fs::create_directories(options.scratch_dir);
  std::string dir;
  try {
    SeriesMerger merger(sources, options.chunk_samples);
    tsdb::StreamingBlockWriter writer(options.scratch_dir, result.meta, "compactor");
    uint64_t total = merger.sourceSeries();
    tsdb::LabelSet labels;
    std::vector<tsdb::ChunkData> chunks;
    uint64_t n = 0;
    while (true) {
      if (options.cancel && options.cancel->load()) throw Cancelled();
      bool more = false;
      try {
        more = merger.next(&labels, &chunks);
      } catch (const CorruptBlock&) {
        if (transient->seen) throw std::runtime_error("transient bucket error reading sources");
        throw;
      }
      if (!more) break;
      writer.addSeries(labels, std::move(chunks));
      chunks.clear();
      if (++n % std::max<uint64_t>(options.progress_every, 1) == 0 && options.progress)
        options.progress(n, total);
    }
    dir = writer.finish();
    result.stats = merger.stats();
    result.meta = readLocalMeta(dir);
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
