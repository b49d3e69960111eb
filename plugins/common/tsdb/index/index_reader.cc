#include "tsdb/index/index_reader.h"

#include <stdexcept>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"

namespace strata::tsdb {
namespace {

// A `len <4b> | body | CRC32C` section at off; returns a decoder over body, or err() on a
// bad range or checksum.
Decbuf lenSection(const uint8_t* base, size_t size, uint64_t off) {
  Decbuf bad;
  bad.fail();
  if (off + 4 > size) return bad;
  uint32_t len = readBE32(base + off);
  if (off + 4 + uint64_t(len) + 4 > size) return bad;
  const uint8_t* body = base + off + 4;
  if (crc32c(0, body, len) != readBE32(body + len)) return bad;
  return Decbuf(body, len);
}

}  // namespace

void IndexReader::fail(const std::string& what) const {
  throw std::runtime_error(file_.path() + ": " + what);
}

IndexReader::IndexReader(const std::string& path) : file_(path) {
  const uint8_t* b = file_.data();
  size_t n = file_.size();
  if (n < 5 + kTocLen) fail("index too short");
  if (readBE32(b) != kIndexMagic) fail("bad index magic");
  version_ = b[4];
  if (version_ != 2) fail("unsupported index version " + std::to_string(version_));

  const uint8_t* toc = b + n - kTocLen;
  if (crc32c(0, toc, kTocLen - 4) != readBE32(toc + kTocLen - 4)) fail("TOC checksum mismatch");
  Decbuf t(toc, kTocLen - 4);
  uint64_t symbols_off = t.be64();
  t.be64();  // series
  t.be64();  // label indices
  t.be64();  // label offset table
  t.be64();  // postings
  uint64_t postings_table_off = t.be64();

  Decbuf s = lenSection(b, n, symbols_off);
  if (s.err()) fail("symbol table corrupt");
  uint32_t count = s.be32();
  symbols_.reserve(count);
  for (uint32_t i = 0; i < count && !s.err(); ++i) symbols_.push_back(s.uvarintStr());
  if (s.err()) fail("symbol table truncated");

  if (postings_table_off != 0) {
    Decbuf p = lenSection(b, n, postings_table_off);
    if (p.err()) fail("postings offset table corrupt");
    uint32_t entries = p.be32();
    for (uint32_t i = 0; i < entries && !p.err(); ++i) {
      if (p.uvarint() != 2) fail("postings offset table entry without 2 keys");
      std::string_view name = p.uvarintStr();
      std::string_view value = p.uvarintStr();
      uint64_t off = p.uvarint();
      postings_table_[name][value] = off;
    }
    if (p.err()) fail("postings offset table truncated");
  }
}

std::vector<std::string> IndexReader::labelNames() const {
  std::vector<std::string> out;
  for (const auto& [name, values] : postings_table_)
    if (!name.empty()) out.emplace_back(name);
  return out;
}

std::vector<std::string> IndexReader::labelValues(const std::string& name) const {
  std::vector<std::string> out;
  if (name.empty()) return out;
  auto it = postings_table_.find(name);
  if (it == postings_table_.end()) return out;
  out.reserve(it->second.size());
  for (const auto& [value, off] : it->second) out.emplace_back(value);
  return out;
}

std::vector<uint64_t> IndexReader::postings(std::string_view name, std::string_view value) const {
  std::vector<uint64_t> out;
  auto it = postings_table_.find(name);
  if (it == postings_table_.end()) return out;
  auto vit = it->second.find(value);
  if (vit == it->second.end()) return out;
  Decbuf d = lenSection(file_.data(), file_.size(), vit->second);
  uint32_t cnt = d.be32();
  if (d.err() || d.len() < uint64_t(cnt) * 4) return out;
  out.resize(cnt);
  for (uint32_t i = 0; i < cnt; ++i) out[i] = d.be32();
  return out;
}

bool IndexReader::symbol(uint64_t idx, std::string_view* out) const {
  if (idx >= symbols_.size()) return false;
  *out = symbols_[idx];
  return true;
}

bool IndexReader::series(uint64_t ref, LabelSet* labels,
                         std::vector<IndexChunkMeta>* chunks) const {
  uint64_t off = ref * kSeriesAlign;
  if (off >= file_.size()) return false;
  Decbuf d(file_.data() + off, file_.size() - off);
  uint64_t len = d.uvarint();
  if (d.err() || d.len() < len + 4) return false;
  const uint8_t* body = d.ptr();
  if (crc32c(0, body, len) != readBE32(body + len)) return false;
  Decbuf s(body, len);
  uint64_t nl = s.uvarint();
  if (labels) labels->clear();
  for (uint64_t i = 0; i < nl && !s.err(); ++i) {
    std::string_view n, v;
    if (!symbol(s.uvarint(), &n) || !symbol(s.uvarint(), &v)) return false;
    if (labels) labels->emplace_back(std::string(n), std::string(v));
  }
  uint64_t nc = s.uvarint();
  if (s.err() || nc > len) return false;
  if (chunks) {
    chunks->clear();
    chunks->reserve(nc);
    int64_t prev_max = 0;
    uint64_t prev_ref = 0;
    for (uint64_t i = 0; i < nc; ++i) {
      IndexChunkMeta c;
      if (i == 0) {
        c.min_time = s.varint();
        c.max_time = c.min_time + int64_t(s.uvarint());
        c.ref = s.uvarint();
      } else {
        c.min_time = prev_max + int64_t(s.uvarint());
        c.max_time = c.min_time + int64_t(s.uvarint());
        c.ref = uint64_t(int64_t(prev_ref) + s.varint());
      }
      prev_max = c.max_time;
      prev_ref = c.ref;
      chunks->push_back(c);
    }
  }
  return !s.err();
}

}  // namespace strata::tsdb
