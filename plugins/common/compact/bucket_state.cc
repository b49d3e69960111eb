#include "compact/bucket_state.h"

#include <algorithm>
#include <chrono>

#include "bucket/bucket_layout.h"
#include "compact/marks.h"

namespace strata::compact {
namespace {

std::string text(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

int64_t newestObjectMs(bucket::Bucket& bkt, const std::vector<std::string>& objects) {
  int64_t newest = 0;
  for (const auto& o : objects) {
    try {
      auto t = bkt.attributes(o).last_modified.time_since_epoch();
      newest = std::max<int64_t>(newest,
                                 std::chrono::duration_cast<std::chrono::milliseconds>(t).count());
    } catch (const bucket::BucketError& e) {
      if (!e.isNotFound()) throw;  // removed meanwhile: it does not make the block younger
    }
  }
  return newest;
}

}  // namespace

BucketState syncBucket(bucket::Bucket& bkt) {
  BucketState st;
  for (const std::string& entry : bkt.listAll("", "/")) {
    auto ulid = bucket::blockUlidOfEntry(entry);
    if (!ulid) continue;
    std::vector<std::string> objects = bkt.listAll(*ulid + "/", "");
    auto has = [&](const std::string& name) {
      return std::find(objects.begin(), objects.end(), name) != objects.end();
    };
    bool marked = has(bucket::blockDeletionMarkName(*ulid));
    if (!has(bucket::blockMetaName(*ulid))) {
      if (!objects.empty()) st.partial.push_back({*ulid, newestObjectMs(bkt, objects), marked});
      continue;
    }
    tsdb::BlockMeta meta;
    try {
      meta = tsdb::metaFromJson(text(bkt.get(bucket::blockMetaName(*ulid))),
                                bucket::blockMetaName(*ulid));
      if (meta.ulid != *ulid)
        throw std::runtime_error(bucket::blockMetaName(*ulid) + ": names ulid \"" + meta.ulid +
                                 "\"");
      if (marked)
        st.deletion_marked[*ulid] =
            parseDeletionMark(text(bkt.get(bucket::blockDeletionMarkName(*ulid))),
                              bucket::blockDeletionMarkName(*ulid));
    } catch (const bucket::BucketError& e) {
      if (e.isTransient()) throw;
      if (e.isNotFound()) continue;  // deleted between the listing and the read
      st.unreadable[*ulid] = e.what();
      continue;
    } catch (const std::exception& e) {
      st.unreadable[*ulid] = e.what();
      continue;
    }
    if (marked) continue;
    if (has(bucket::blockNoCompactMarkName(*ulid))) st.no_compact.insert(*ulid);
    st.blocks.emplace(*ulid, std::move(meta));
  }
  return st;
}

}  // namespace strata::compact
