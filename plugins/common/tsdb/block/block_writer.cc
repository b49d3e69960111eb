// StreamingBlockWriter: chunks as series arrive (in series order, so chunk refs grow with
// series refs), then the index, meta.json and an empty tombstones file, all inside
// <ulid>.tmp; every file and directory is fsynced before the rename makes the block visible.
// BlockWriter buffers, sorts and streams through it.
#include "tsdb/block/block_writer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <set>
#include <stdexcept>

#include "tsdb/block/meta_json.h"
#include "tsdb/block/rechunk.h"
#include "tsdb/block/ulid.h"
#include "tsdb/chunkenc/aggr_chunk.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/chunks/chunk_segments.h"
#include "tsdb/encoding/encoding.h"
#include "tsdb/fileutil/byte_source.h"
#include "tsdb/fileutil/file_util.h"
#include "tsdb/index/index_writer.h"

namespace strata::tsdb {

namespace fs = std::filesystem;

namespace {

void writeSmallFile(const std::string& path, const void* data, size_t len) {
  FileWriter f(path);
  f.write(static_cast<const uint8_t*>(data), len);
  f.close();
}

// Checks a series' labels and chunks, drops empty chunks and re-cuts them per the options.
std::vector<ChunkData> prepareSeries(const LabelSet& labels, std::vector<ChunkData> chunks,
                                     size_t chunk_max_samples) {
  for (size_t i = 1; i < labels.size(); ++i)
    if (labels[i - 1].first >= labels[i].first)
      throw std::invalid_argument("addSeries: labels not sorted by name or duplicated");
  for (size_t i = 1; i < chunks.size(); ++i)
    if (chunks[i].min_time <= chunks[i - 1].max_time)
      throw std::invalid_argument("addSeries: chunks overlap or are out of time order");
  // Chunks without samples would count as chunks in Prometheus but hold nothing; drop them.
  std::erase_if(chunks, [](const ChunkData& c) {
    if (c.encoding != kEncXor) return c.xor_bytes.empty();
    return c.xor_bytes.size() < 2 || (c.xor_bytes[0] == 0 && c.xor_bytes[1] == 0);
  });
  return rechunk(std::move(chunks), chunk_max_samples);
}

std::string ulidNow() {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return newUlid(now.count());
}

}  // namespace

uint64_t chunkSamples(const ChunkData& c) {
  if (c.encoding == kEncXor)
    return c.xor_bytes.size() < 2 ? 0 : uint64_t(c.xor_bytes[0]) << 8 | c.xor_bytes[1];
  if (c.encoding != kEncAggr) return 0;
  AggrChunkView v;
  std::string err;
  if (!v.parse(c.xor_bytes.data(), c.xor_bytes.size(), &err) || !v.has(AggrType::kCount) ||
      v.size(AggrType::kCount) < 2)
    return 0;
  const uint8_t* d = v.data(AggrType::kCount);
  return uint64_t(d[0]) << 8 | d[1];
}

struct StreamingBlockWriter::Impl {
  std::string parent;
  BlockMeta meta;
  BlockWriterOptions options;
  std::string tmp_dir, spill_path;
  std::unique_ptr<ChunkSegmentWriter> chunks;
  std::unique_ptr<FileWriter> spill;  // per series: labels, then chunk metas
  std::set<std::string, std::less<>> symbols;
  LabelSet prev;
  bool have_prev = false;
  Encbuf enc;
  int64_t mint = INT64_MAX, maxt = INT64_MIN;
  bool finished = false;
};

StreamingBlockWriter::StreamingBlockWriter(std::string parent_dir, BlockMeta meta,
                                           std::string source, BlockWriterOptions options)
    : impl_(new Impl) {
  if (source.empty()) throw std::invalid_argument("BlockWriter: empty thanos.source");
  Impl& s = *impl_;
  s.parent = std::move(parent_dir);
  s.meta = std::move(meta);
  s.meta.thanos_source = std::move(source);
  s.options = options;
  if (s.meta.ulid.empty()) s.meta.ulid = ulidNow();
  if (s.meta.compaction_sources.empty()) s.meta.compaction_sources.push_back(s.meta.ulid);
  s.meta.num_samples = s.meta.num_chunks = s.meta.num_series = 0;
  s.tmp_dir = s.parent + "/" + s.meta.ulid + ".tmp";
  fs::remove_all(s.tmp_dir);
  fs::create_directories(s.tmp_dir + "/chunks");
  s.chunks = std::make_unique<ChunkSegmentWriter>(s.tmp_dir + "/chunks");
  s.spill_path = s.tmp_dir + "/index.tmp-series";
  s.spill = std::make_unique<FileWriter>(s.spill_path);
}

StreamingBlockWriter::~StreamingBlockWriter() {
  if (!impl_->finished) {
    impl_->chunks.reset();
    impl_->spill.reset();
    std::error_code ec;
    fs::remove_all(impl_->tmp_dir, ec);
  }
}

const std::string& StreamingBlockWriter::tmpDir() const { return impl_->tmp_dir; }

void StreamingBlockWriter::addSeries(const LabelSet& labels, std::vector<ChunkData> chunks) {
  Impl& s = *impl_;
  if (s.finished) throw std::logic_error("StreamingBlockWriter: addSeries after finish");
  if (s.have_prev && compareLabels(s.prev, labels) >= 0)
    throw std::invalid_argument("StreamingBlockWriter: series not sorted or duplicated");
  chunks = prepareSeries(labels, std::move(chunks), s.options.chunk_max_samples);
  s.prev = labels;
  s.have_prev = true;
  Encbuf& e = s.enc;
  e.reset();
  e.putUvarint(labels.size());
  for (const auto& [n, v] : labels) {
    e.putUvarintStr(n);
    e.putUvarintStr(v);
    if (s.symbols.find(n) == s.symbols.end()) s.symbols.emplace(n);
    if (s.symbols.find(v) == s.symbols.end()) s.symbols.emplace(v);
  }
  e.putUvarint(chunks.size());
  BlockMeta& m = s.meta;
  for (const ChunkData& c : chunks) {
    uint64_t ref = s.chunks->write(c.encoding, c.xor_bytes.data(), c.xor_bytes.size());
    e.putVarint(c.min_time);
    e.putVarint(c.max_time);
    e.putUvarint(ref);
    m.num_samples += chunkSamples(c);
    ++m.num_chunks;
    s.mint = std::min(s.mint, c.min_time);
    s.maxt = std::max(s.maxt, c.max_time);
  }
  ++m.num_series;
  s.spill->write(e.b);
}

std::string StreamingBlockWriter::finish() {
  Impl& s = *impl_;
  BlockMeta& m = s.meta;
  s.chunks->finish();
  s.spill->flush();
  s.spill.reset();
  if (m.max_time <= m.min_time && m.num_chunks > 0) {
    m.min_time = s.mint;
    m.max_time = s.maxt + 1;  // meta.json's range is half-open
  }
  {
    IndexWriter index(s.tmp_dir + "/index",
                      IndexWriterOptions{s.options.index_postings_batch_entries});
    // The symbols move into the index writer (which keeps them to encode the series).
    while (!s.symbols.empty())
      index.addSymbol(std::move(s.symbols.extract(s.symbols.begin()).value()));
    MmapByteSource spill(s.spill_path);
    ByteView all = spill.size() ? spill.read(0, spill.size()) : ByteView();
    Decbuf d(all.data(), all.size());
    LabelSet labels;
    std::vector<IndexChunkMeta> metas;
    for (uint64_t i = 0; i < m.num_series; ++i) {
      labels.resize(d.uvarint());
      for (auto& [n, v] : labels) {
        n.assign(d.uvarintStr());
        v.assign(d.uvarintStr());
      }
      metas.resize(d.uvarint());
      for (auto& c : metas) {
        c.min_time = d.varint();
        c.max_time = d.varint();
        c.ref = d.uvarint();
      }
      if (d.err()) throw std::runtime_error(s.spill_path + ": series spill truncated");
      index.addSeries(labels, metas);
    }
    index.finish();
  }
  fs::remove(s.spill_path);
  std::string json = metaToJson(m);
  writeSmallFile(s.tmp_dir + "/meta.json", json.data(), json.size());
  // Empty tombstones: magic 0x0130BA30, version 1, CRC32C of no entries (0).
  const uint8_t tombstones[9] = {0x01, 0x30, 0xBA, 0x30, 1, 0, 0, 0, 0};
  writeSmallFile(s.tmp_dir + "/tombstones", tombstones, sizeof tombstones);
  fsyncDir(s.tmp_dir + "/chunks");
  fsyncDir(s.tmp_dir);

  std::string final_dir = s.parent + "/" + m.ulid;
  if (fs::exists(final_dir)) throw std::runtime_error("block " + final_dir + " already exists");
  fs::rename(s.tmp_dir, final_dir);
  fsyncDir(s.parent);
  s.finished = true;
  return final_dir;
}

struct BlockWriter::Impl {
  std::string parent;
  BlockMeta meta;
  BlockWriterOptions options;
  std::vector<std::pair<LabelSet, std::vector<ChunkData>>> series;
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

BlockWriter::~BlockWriter() = default;

void BlockWriter::addSeries(const LabelSet& labels, std::vector<ChunkData> chunks) {
  impl_->series.emplace_back(
      labels, prepareSeries(labels, std::move(chunks), impl_->options.chunk_max_samples));
}

std::string BlockWriter::finish() {
  Impl& s = *impl_;
  std::vector<size_t> order(s.series.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return compareLabels(s.series[a].first, s.series[b].first) < 0;
  });
  for (size_t i = 1; i < order.size(); ++i)
    if (compareLabels(s.series[order[i - 1]].first, s.series[order[i]].first) == 0)
      throw std::invalid_argument("BlockWriter: duplicate series");
  // Already re-cut by addSeries.
  BlockWriterOptions options = s.options;
  options.chunk_max_samples = 0;
  StreamingBlockWriter w(s.parent, s.meta, s.meta.thanos_source, options);
  for (size_t i : order) {
    auto& [labels, chunks] = s.series[i];
    w.addSeries(labels, std::move(chunks));
    chunks = {};
  }
  return w.finish();
}

}  // namespace strata::tsdb
