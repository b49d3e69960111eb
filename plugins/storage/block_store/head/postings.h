// Postings of a head: for every label name and value, the sorted ids of the series carrying
// it, so matchers select by intersecting lists (query/postings_select.h) instead of scanning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace strata::block_store {

using PostingList = std::vector<uint32_t>;  // sorted, unique

// THREAD: the owning Head's lock guards it.
class MemPostings {
 public:
  // Ids must be added in increasing order (the head hands them out that way).
  void add(uint32_t series_id, uint32_t name_id, uint32_t value_id);
  const PostingList* get(uint32_t name_id, uint32_t value_id) const;
  // Value ids present for a name (unordered); empty when the name is unknown.
  std::vector<uint32_t> values(uint32_t name_id) const;
  std::vector<uint32_t> names() const;
  const PostingList& all() const { return all_; }
  // Removes the ids flagged in `gone` (indexed by id) from every list; empty lists go.
  void remove(const std::vector<bool>& gone);
  // Renames every name and value id to remap[id] after the head's symbols were compacted;
  // the lists move as they are (series ids do not change). Also drops the hash buckets that
  // churned-away names and values left behind.
  void remapSymbols(const std::vector<uint32_t>& remap);
  size_t memoryBytes() const;  // allocator bytes (HeadMemory)

 private:
  std::unordered_map<uint32_t, std::unordered_map<uint32_t, PostingList>> by_name_;
  PostingList all_;
};

}  // namespace strata::block_store
