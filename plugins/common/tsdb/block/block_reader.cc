#include "tsdb/block/block_reader.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tsdb/block/meta_json.h"
#include "tsdb/chunkenc/xor_chunk.h"
#include "tsdb/chunks/chunk_segments.h"
#include "tsdb/index/index_reader.h"

namespace strata::tsdb {

struct BlockReader::Impl {
  std::string dir;
  BlockMeta meta;
  std::unique_ptr<IndexReader> index;
  std::unique_ptr<ChunkSegmentReader> chunks;
};

BlockReader::BlockReader() : impl_(new Impl) {}
BlockReader::~BlockReader() = default;

std::unique_ptr<BlockReader> BlockReader::open(const std::string& dir) {
  std::unique_ptr<BlockReader> r(new BlockReader);
  r->impl_->dir = dir;
  std::string meta_path = dir + "/meta.json";
  std::ifstream in(meta_path);
  if (!in) throw std::runtime_error(meta_path + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  r->impl_->meta = metaFromJson(text.str(), meta_path);
  r->impl_->index = std::make_unique<IndexReader>(dir + "/index");
  r->impl_->chunks = std::make_unique<ChunkSegmentReader>(dir + "/chunks");
  return r;
}

std::unique_ptr<BlockReader> BlockReader::open(
    std::string name, BlockMeta meta, std::shared_ptr<const ByteSource> index,
    std::vector<std::shared_ptr<const ByteSource>> chunks) {
  std::unique_ptr<BlockReader> r(new BlockReader);
  r->impl_->dir = std::move(name);
  r->impl_->meta = std::move(meta);
  r->impl_->index = std::make_unique<IndexReader>(std::move(index));
  r->impl_->chunks = std::make_unique<ChunkSegmentReader>(std::move(chunks));
  return r;
}

const BlockMeta& BlockReader::meta() const { return impl_->meta; }
const std::string& BlockReader::dir() const { return impl_->dir; }
std::vector<std::string> BlockReader::labelNames() const { return impl_->index->labelNames(); }

std::vector<std::string> BlockReader::labelValues(const std::string& name) const {
  return impl_->index->labelValues(name);
}

std::vector<uint64_t> BlockReader::postings(const std::string& name,
                                            const std::string& value) const {
  return impl_->index->postings(name, value);
}

bool BlockReader::series(uint64_t ref, LabelSet* labels, std::vector<ChunkRef>* chunks) const {
  std::vector<IndexChunkMeta> metas;
  if (!impl_->index->series(ref, labels, chunks ? &metas : nullptr)) return false;
  if (chunks) {
    chunks->clear();
    chunks->reserve(metas.size());
    for (const auto& c : metas) chunks->push_back({c.min_time, c.max_time, c.ref});
  }
  return true;
}

bool BlockReader::rawChunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
                           std::string* error) const {
  return impl_->chunks->chunk(ref, encoding, data, len, error);
}

bool BlockReader::rawChunk(uint64_t ref, uint8_t* encoding, ByteView* data,
                           std::string* error) const {
  return impl_->chunks->chunk(ref, encoding, data, error);
}

bool BlockReader::chunk(uint64_t ref, const uint8_t** data, size_t* len) const {
  uint8_t enc = 0;
  std::string err;
  if (!rawChunk(ref, &enc, data, len, &err)) return false;
  return enc == kEncXor;
}

}  // namespace strata::tsdb
