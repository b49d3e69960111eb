#include "block_set.h"

#include <algorithm>
#include <filesystem>
#include <limits>

#include "query/postings_select.h"

namespace fs = std::filesystem;

namespace strata::block_store {

OpenBlock::~OpenBlock() {
  reader.reset();
  if (doomed) {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
}

std::shared_ptr<OpenBlock> openBlock(const std::string& dir) {
  auto b = std::make_shared<OpenBlock>();
  b->reader = tsdb::BlockReader::open(dir);
  b->dir = dir;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_regular_file(ec)) b->bytes += e.file_size(ec);
  return b;
}

void BlockSet::add(std::shared_ptr<OpenBlock> block) {
  std::lock_guard<std::mutex> lock(mu_);
  blocks_.push_back(std::move(block));
  std::sort(blocks_.begin(), blocks_.end(), [](const auto& a, const auto& b) {
    return a->reader->meta().min_time < b->reader->meta().min_time;
  });
}

std::vector<std::shared_ptr<OpenBlock>> BlockSet::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return blocks_;
}

int64_t BlockSet::maxTime() const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t m = std::numeric_limits<int64_t>::min();
  for (const auto& b : blocks_) m = std::max(m, b->reader->meta().max_time);
  return m;
}

BlockSet::RetentionResult BlockSet::applyRetention(int64_t cutoff, uint64_t max_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  RetentionResult result;
  uint64_t total = 0;
  for (const auto& b : blocks_) total += b->bytes;
  while (!blocks_.empty()) {
    const auto& oldest = blocks_.front();
    bool too_old = oldest->reader->meta().max_time <= cutoff;
    bool too_big = max_bytes > 0 && total > max_bytes;
    if (!too_old && !too_big) break;
    oldest->doomed = true;  // removed from disk when the last reader lets go
    if (too_big && !too_old && oldest->announce_holds > 0) {
      // Readers keep their mapped files (unlinked files stay readable); the holder's upload
      // finds the block gone and reports it lost.
      std::error_code ec;
      fs::remove_all(oldest->dir, ec);
      ++result.forced_unshipped;
    }
    total -= oldest->bytes;
    blocks_.erase(blocks_.begin());
    ++result.dropped;
  }
  return result;
}

std::vector<SeriesData> selectBlock(const std::shared_ptr<OpenBlock>& block,
                                    const std::vector<Matcher>& matchers, int64_t min_t,
                                    int64_t max_t) {
  const auto& r = *block->reader;
  std::vector<SeriesData> out;
  // Block times are [min, max).
  if (r.meta().max_time <= min_t || r.meta().min_time > max_t) return out;
  std::function<std::vector<uint64_t>()> all = [&r] { return r.postings("", ""); };
  std::function<std::vector<uint64_t>(const std::string&,
                                      const std::function<bool(std::string_view)>&)>
      where = [&r](const std::string& name, const std::function<bool(std::string_view)>& pred) {
        std::vector<std::vector<uint64_t>> lists;
        for (const auto& v : r.labelValues(name))
          if (pred(v)) lists.push_back(r.postings(name, v));
        std::vector<const std::vector<uint64_t>*> ptrs;
        for (const auto& l : lists) ptrs.push_back(&l);
        return uniteSorted(ptrs);
      };
  std::vector<tsdb::ChunkRef> refs;
  for (uint64_t ref : selectPostings<uint64_t>(matchers, all, where)) {
    SeriesData d;
    if (!r.series(ref, &d.labels, &refs)) continue;
    for (const auto& c : refs) {
      if (c.max_time < min_t || c.min_time > max_t) continue;
      ChunkSpec spec;
      spec.min_t = c.min_time;
      spec.max_t = c.max_time;
      spec.reader = &r;
      spec.ref = c.ref;
      spec.keep = block;
      d.chunks.push_back(std::move(spec));
    }
    if (!d.chunks.empty()) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace strata::block_store
