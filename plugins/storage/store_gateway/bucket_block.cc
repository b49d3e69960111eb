#include "bucket_block.h"

#include <string>
#include <vector>

#include "bucket/bucket_layout.h"
#include "index_header_cache.h"

namespace strata::store_gateway {
namespace {

std::shared_ptr<const tsdb::ByteSource> rangedSource(std::shared_ptr<bucket::Bucket> bkt,
                                                     const std::string& object, uint64_t size,
                                                     FetchObserver observe,
                                                     std::shared_ptr<GatewayCaches> caches) {
  return std::make_shared<tsdb::CallbackByteSource>(
      object, size, [bkt, object, observe, caches](uint64_t offset, uint64_t length) {
        if (caches) {
          if (auto hit = caches->postings.get(object, offset, length)) return std::move(*hit);
        }
        auto bytes = bkt->getRange(object, offset, length);
        if (observe) observe(bytes.size());
        if (caches && bytes.size() == length) caches->postings.put(object, offset, length, bytes);
        return bytes;
      });
}

[[noreturn]] void rethrowAs(const std::string& reason, const std::string& ulid) {
  try {
    throw;
  } catch (const bucket::BucketError& e) {
    if (e.isTransient()) throw;
    throw BlockSkipped(reason, "block " + ulid + ": " + e.what());
  } catch (const std::exception& e) {
    throw BlockSkipped(reason, "block " + ulid + ": " + e.what());
  }
}

void openIndex(BucketBlock* block, const std::string& ulid, const BlockOpenOptions& o) {
  auto& bkt = block->bucket;
  block->index_object = bucket::blockIndexName(ulid);
  block->index_size = bkt->attributes(block->index_object).size;
  auto src = rangedSource(bkt, block->index_object, block->index_size, o.observe, o.caches);
  if (o.header_dir.empty()) {
    block->index = std::make_unique<tsdb::IndexReader>(std::move(src));
    return;
  }
  // The header is built through an uncached source: its sections are read once, then mapped.
  auto raw = rangedSource(bkt, block->index_object, block->index_size, o.observe, nullptr);
  bool built = false;
  auto header = loadIndexHeader(o.header_dir, ulid, *raw, &built);
  if (built && o.header_built) o.header_built();
  block->index = std::make_unique<tsdb::IndexReader>(std::move(src), std::move(header));
}

}  // namespace

std::shared_ptr<BucketBlock> openBucketBlock(std::shared_ptr<bucket::Bucket> bkt,
                                             const std::string& ulid, const BlockOpenOptions& o) {
  auto block = std::make_shared<BucketBlock>();
  block->bucket = bkt;
  try {
    auto raw = bkt->get(bucket::blockMetaName(ulid));
    if (o.observe) o.observe(raw.size());
    block->meta =
        tsdb::metaFromJson(std::string(raw.begin(), raw.end()), bucket::blockMetaName(ulid));
    if (block->meta.ulid != ulid)
      throw std::runtime_error("meta.json names ulid \"" + block->meta.ulid + "\"");
  } catch (...) {
    rethrowAs("meta_json", ulid);
  }
  if (o.wanted && !o.wanted(block->meta)) return nullptr;

  try {
    // Segments are numbered from 000001 without gaps; a gap would shift every chunk ref.
    std::vector<std::string> names = bkt->listAll(bucket::blockChunksPrefix(ulid), "");
    for (size_t i = 0; i < names.size(); ++i) {
      std::string want = bucket::blockChunkName(ulid, int(i) + 1);
      if (names[i] != want) throw std::runtime_error("chunk segment " + want + " missing");
      block->segments.push_back({want, bkt->attributes(want).size});
    }
    if (block->segments.empty() && block->meta.num_chunks > 0)
      throw std::runtime_error("no chunk segments");
  } catch (...) {
    rethrowAs("chunks", ulid);
  }

  try {
    openIndex(block.get(), ulid, o);
  } catch (...) {
    rethrowAs("index", ulid);
  }
  return block;
}

}  // namespace strata::store_gateway
