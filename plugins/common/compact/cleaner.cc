#include "compact/cleaner.h"

#include <algorithm>
#include <set>

#include "bucket/bucket_layout.h"

namespace strata::compact {
namespace {

bool removeObject(bucket::Bucket& bkt, const std::string& name) {
  try {
    bkt.remove(name);
    return true;
  } catch (const bucket::BucketError& e) {
    if (e.isNotFound()) return false;
    throw;
  }
}

std::vector<std::string> sourcesOf(const tsdb::BlockMeta& m) {
  std::vector<std::string> s = m.compaction_sources;
  if (s.empty()) s.push_back(m.ulid);
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

}  // namespace

size_t deleteBlock(bucket::Bucket& bkt, const std::string& ulid) {
  size_t n = removeObject(bkt, bucket::blockMetaName(ulid)) ? 1 : 0;
  std::string mark = bucket::blockDeletionMarkName(ulid);
  for (const std::string& name : bkt.listAll(ulid + "/", ""))
    if (name != mark && removeObject(bkt, name)) ++n;
  if (removeObject(bkt, mark)) ++n;
  return n;
}

std::vector<std::string> supersededBlocks(const std::vector<tsdb::BlockMeta>& blocks) {
  std::vector<std::vector<std::string>> sources;
  for (const auto& b : blocks) sources.push_back(sourcesOf(b));
  std::vector<std::string> out;
  for (size_t x = 0; x < blocks.size(); ++x) {
    for (size_t b = 0; b < blocks.size(); ++b) {
      if (b == x || sources[b].size() < sources[x].size()) continue;
      if (!std::includes(sources[b].begin(), sources[b].end(), sources[x].begin(),
                         sources[x].end()))
        continue;
      if (sources[b].size() == sources[x].size() && blocks[x].ulid < blocks[b].ulid) continue;
      out.push_back(blocks[x].ulid);
      break;
    }
  }
  return out;
}

}  // namespace strata::compact
