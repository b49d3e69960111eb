#include "head/symbol_table.h"

#include <bit>
#include <cstring>
#include <functional>

#include "head/head_memory.h"

namespace strata::block_store {

std::string_view SymbolTable::store(std::string_view s) {
  if (s.empty()) return std::string_view("", 0);
  if (s.size() > kBlockBytes / 4) {
    // A long string gets a block of its own, so it does not waste the rest of a shared one;
    // it goes before the current block, which stays the one being filled.
    auto own = std::make_unique<char[]>(s.size());
    std::memcpy(own.get(), s.data(), s.size());
    std::string_view v(own.get(), s.size());
    blocks_.insert(blocks_.empty() ? blocks_.end() : blocks_.end() - 1, std::move(own));
    arena_bytes_ += s.size();
    return v;
  }
  if (kBlockBytes - block_used_ < s.size()) {
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    block_used_ = 0;
    arena_bytes_ += kBlockBytes;
  }
  char* p = blocks_.back().get() + block_used_;
  std::memcpy(p, s.data(), s.size());
  block_used_ += s.size();
  return std::string_view(p, s.size());
}

uint32_t SymbolTable::hashOf(std::string_view s) {
  uint64_t h = std::hash<std::string_view>{}(s);
  return static_cast<uint32_t>(h ^ (h >> 32));
}

void SymbolTable::resizeSlots(size_t capacity) {
  slots_.assign(capacity, 0);
  shift_ = 64 - std::countr_zero(capacity);
  for (uint32_t id = 0; id < views_.size(); ++id) placeId(id);
}

void SymbolTable::placeId(uint32_t id) {
  const size_t mask = slots_.size() - 1;
  size_t i = home(hashes_[id]);
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = id + 1;
}

uint32_t SymbolTable::add(std::string_view s, uint32_t hash, uint32_t refs) {
  auto id = static_cast<uint32_t>(views_.size());
  views_.push_back(store(s));
  refs_.push_back(refs);
  hashes_.push_back(hash);
  if ((views_.size() + 1) * 4 > slots_.size() * 3)
    resizeSlots(slots_.empty() ? 16 : slots_.size() * 2);  // places every id, this one too
  else
    placeId(id);
  return id;
}

uint32_t SymbolTable::intern(std::string_view s) {
  const uint32_t hash = hashOf(s);
  if (!slots_.empty()) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = home(hash); slots_[i] != 0; i = (i + 1) & mask) {
      uint32_t id = slots_[i] - 1;
      if (hashes_[id] != hash || views_[id] != s) continue;
      if (refs_[id]++ == 0) --dead_;  // a dead symbol in use again before any compaction
      return id;
    }
  }
  return add(s, hash, 1);
}

void SymbolTable::release(uint32_t id) {
  if (--refs_[id] == 0) ++dead_;
}

std::optional<uint32_t> SymbolTable::find(std::string_view s) const {
  if (slots_.empty()) return std::nullopt;
  const uint32_t hash = hashOf(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = home(hash); slots_[i] != 0; i = (i + 1) & mask) {
    uint32_t id = slots_[i] - 1;
    if (hashes_[id] == hash && views_[id] == s) return id;
  }
  return std::nullopt;
}

SymbolTable SymbolTable::compacted(std::vector<uint32_t>* remap) const {
  SymbolTable out;
  const size_t live = views_.size() - dead_;
  out.views_.reserve(live);
  out.refs_.reserve(live);
  out.hashes_.reserve(live);
  size_t capacity = 16;
  while (capacity * 3 < (live + 1) * 4) capacity *= 2;
  out.resizeSlots(capacity);  // sized once: the adds below never grow it
  remap->assign(views_.size(), kDropped);
  for (uint32_t id = 0; id < views_.size(); ++id)
    if (refs_[id] > 0) (*remap)[id] = out.add(views_[id], hashes_[id], refs_[id]);
  return out;
}

size_t SymbolTable::memoryBytes() const {
  // The arena's blocks, the views, reference counts and hashes by id, and the slots.
  return arena_bytes_ + mallocBytes(views_.capacity() * sizeof(std::string_view)) +
         mallocBytes(refs_.capacity() * sizeof(uint32_t)) +
         mallocBytes(hashes_.capacity() * sizeof(uint32_t)) +
         mallocBytes(slots_.capacity() * sizeof(uint32_t));
}

}  // namespace strata::block_store
