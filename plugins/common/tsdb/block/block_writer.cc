// BlockWriter: chunks first (in series order, so chunk refs grow with series refs), then the
// index, meta.json and an empty tombstones file, all inside <ulid>.tmp; every file and
// directory is fsynced before the rename makes the block visible.
#include "tsdb/block/block_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "tsdb/block/meta_json.h"
#include "tsdb/block/rechunk.h"
#include "tsdb/block/ulid.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/chunks/chunk_segments.h"
#include "tsdb/fileutil/file_util.h"
#include "tsdb/index/index_writer.h"

namespace strata::tsdb {

namespace fs = std::filesystem;

struct BlockWriter::Impl {
  std::string parent;
  BlockMeta meta;
  BlockWriterOptions options;
  std::vector<std::pair<LabelSet, std::vector<ChunkData>>> series;
  std::string tmp_dir;
  bool finished = false;
};

BlockWriter::BlockWriter(std::string parent_dir, BlockMeta meta, std::string source,
                         BlockWriterOptions options)
    : impl_(new Impl) {
  if (source.empty()) throw std::invalid_argument("BlockWriter: empty thanos.source");
  impl_->parent = std::move(parent_dir);
  impl_->meta = std::move(meta);
  impl_->meta.thanos_source = std::move(source);
  impl_->options = options;
}

BlockWriter::~BlockWriter() {
  if (!impl_->finished && !impl_->tmp_dir.empty()) {
    std::error_code ec;
    fs::remove_all(impl_->tmp_dir, ec);
  }
}

void BlockWriter::addSeries(const LabelSet& labels, std::vector<ChunkData> chunks) {
  for (size_t i = 1; i < labels.size(); ++i)
    if (labels[i - 1].first >= labels[i].first)
      throw std::invalid_argument("addSeries: labels not sorted by name or duplicated");
  for (size_t i = 1; i < chunks.size(); ++i)
    if (chunks[i].min_time <= chunks[i - 1].max_time)
      throw std::invalid_argument("addSeries: chunks overlap or are out of time order");
  // Chunks without samples would count as chunks in Prometheus but hold nothing; drop them.
  std::erase_if(chunks, [](const ChunkData& c) {
    return c.xor_bytes.size() < 2 || (c.xor_bytes[0] == 0 && c.xor_bytes[1] == 0);
  });
  impl_->series.emplace_back(labels, rechunk(std::move(chunks), impl_->options.chunk_max_samples));
}

namespace {

void writeSmallFile(const std::string& path, const void* data, size_t len) {
  FileWriter f(path);
  f.write(static_cast<const uint8_t*>(data), len);
  f.close();
}

}  // namespace

std::string BlockWriter::finish() {
  Impl& s = *impl_;
  BlockMeta& m = s.meta;
  if (m.ulid.empty()) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    m.ulid = newUlid(now.count());
  }
  if (m.compaction_sources.empty()) m.compaction_sources.push_back(m.ulid);

  std::vector<size_t> order(s.series.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return compareLabels(s.series[a].first, s.series[b].first) < 0;
  });
  for (size_t i = 1; i < order.size(); ++i)
    if (compareLabels(s.series[order[i - 1]].first, s.series[order[i]].first) == 0)
      throw std::invalid_argument("BlockWriter: duplicate series");

  s.tmp_dir = s.parent + "/" + m.ulid + ".tmp";
  std::string final_dir = s.parent + "/" + m.ulid;
  fs::remove_all(s.tmp_dir);
  fs::create_directories(s.tmp_dir + "/chunks");

  ChunkSegmentWriter chunks(s.tmp_dir + "/chunks");
  std::vector<IndexSeriesInput> index(order.size());
  m.num_samples = m.num_chunks = 0;
  m.num_series = order.size();
  int64_t mint = INT64_MAX, maxt = INT64_MIN;
  for (size_t i = 0; i < order.size(); ++i) {
    auto& [labels, data] = s.series[order[i]];
    index[i].labels = &labels;
    index[i].chunks.reserve(data.size());
    for (const ChunkData& c : data) {
      uint64_t ref = chunks.write(kEncXor, c.xor_bytes.data(), c.xor_bytes.size());
      index[i].chunks.push_back({c.min_time, c.max_time, ref});
      m.num_samples += uint64_t(c.xor_bytes[0]) << 8 | c.xor_bytes[1];
      ++m.num_chunks;
      mint = std::min(mint, c.min_time);
      maxt = std::max(maxt, c.max_time);
    }
  }
  chunks.finish();
  if (m.max_time <= m.min_time && m.num_chunks > 0) {
    m.min_time = mint;
    m.max_time = maxt + 1;  // meta.json's range is half-open
  }
  writeIndexFile(s.tmp_dir + "/index", index);
  std::string json = metaToJson(m);
  writeSmallFile(s.tmp_dir + "/meta.json", json.data(), json.size());
  // Empty tombstones: magic 0x0130BA30, version 1, CRC32C of no entries (0).
  const uint8_t tombstones[9] = {0x01, 0x30, 0xBA, 0x30, 1, 0, 0, 0, 0};
  writeSmallFile(s.tmp_dir + "/tombstones", tombstones, sizeof tombstones);
  fsyncDir(s.tmp_dir + "/chunks");
  fsyncDir(s.tmp_dir);

  if (fs::exists(final_dir)) throw std::runtime_error("block " + final_dir + " already exists");
  fs::rename(s.tmp_dir, final_dir);
  fsyncDir(s.parent);
  s.finished = true;
  return final_dir;
}

}  // namespace strata::tsdb
