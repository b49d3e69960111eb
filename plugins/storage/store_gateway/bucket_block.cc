#include "bucket_block.h"

#include <string>
#include <vector>

#include "bucket/bucket_layout.h"

namespace strata::store_gateway {
namespace {

std::shared_ptr<const tsdb::ByteSource> rangedSource(std::shared_ptr<bucket::Bucket> bkt,
                                                     const std::string& object, uint64_t size,
                                                     FetchObserver observe,
                                                     std::shared_ptr<RangeCache> cache) {
  return std::make_shared<tsdb::CallbackByteSource>(
      object, size, [bkt, object, observe, cache](uint64_t offset, uint64_t length) {
        if (cache) {
          if (auto hit = cache->get(object, offset, length)) return std::move(*hit);
        }
        auto bytes = bkt->getRange(object, offset, length);
        if (observe) observe(bytes.size());
        if (cache && bytes.size() == length) cache->put(object, offset, length, bytes);
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

}  // namespace

std::shared_ptr<BucketBlock> openBucketBlock(std::shared_ptr<bucket::Bucket> bkt,
                                             const std::string& ulid, FetchObserver observe,
                                             std::shared_ptr<RangeCache> cache) {
  auto block = std::make_shared<BucketBlock>();
  try {
    auto raw = bkt->get(bucket::blockMetaName(ulid));
    if (observe) observe(raw.size());
    block->meta =
        tsdb::metaFromJson(std::string(raw.begin(), raw.end()), bucket::blockMetaName(ulid));
    if (block->meta.ulid != ulid)
      throw std::runtime_error("meta.json names ulid \"" + block->meta.ulid + "\"");
  } catch (...) {
    rethrowAs("meta_json", ulid);
  }

  std::vector<std::shared_ptr<const tsdb::ByteSource>> segments;
  try {
    // Segments are numbered from 000001 without gaps; a gap would shift every chunk ref.
    std::vector<std::string> names = bkt->listAll(bucket::blockChunksPrefix(ulid), "");
    for (size_t i = 0; i < names.size(); ++i) {
      std::string want = bucket::blockChunkName(ulid, int(i) + 1);
      if (names[i] != want) throw std::runtime_error("chunk segment " + want + " missing");
      segments.push_back(rangedSource(bkt, want, bkt->attributes(want).size, observe, cache));
    }
    if (segments.empty() && block->meta.num_chunks > 0)
      throw std::runtime_error("no chunk segments");
  } catch (...) {
    rethrowAs("chunks", ulid);
  }

  try {
    std::string index = bucket::blockIndexName(ulid);
    auto src = rangedSource(bkt, index, bkt->attributes(index).size, observe, cache);
    block->reader = tsdb::BlockReader::open(ulid, block->meta, std::move(src), std::move(segments));
  } catch (...) {
    rethrowAs("index", ulid);
  }
  return block;
}

}  // namespace strata::store_gateway
