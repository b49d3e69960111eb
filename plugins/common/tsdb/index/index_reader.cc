#include "tsdb/index/index_reader.h"

#include <stdexcept>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"

namespace strata::tsdb {

void IndexReader::fail(const std::string& what) const {
  throw std::runtime_error(source_->name() + ": " + what);
}

IndexReader::IndexReader(const std::string& path)
    : source_(std::make_shared<MmapByteSource>(path)) {
  open();
}

IndexReader::IndexReader(std::shared_ptr<const ByteSource> source) : source_(std::move(source)) {
  open();
}

IndexReader::IndexReader(std::shared_ptr<const ByteSource> source,
                         std::shared_ptr<const IndexHeader> header)
    : source_(std::move(source)), header_(std::move(header)), version_(kIndexVersion2) {
  if (header_->indexSize() != source_->size()) fail("index-header built from another index");
}

bool IndexReader::lenSection(uint64_t off, ByteView* body) const {
  uint64_t n = source_->size();
  if (off > n || n - off < 8) return false;
  uint32_t len = readBE32(source_->read(off, 4).data());
  if (n - off - 4 < uint64_t(len) + 4) return false;
  ByteView b = source_->read(off + 4, uint64_t(len) + 4);
  if (crc32c(0, b.data(), len) != readBE32(b.data() + len)) return false;
  *body = b.sub(0, len);
  return true;
}

void IndexReader::open() {
  uint64_t n = source_->size();
  if (n < 5 + kTocLen) fail("index too short");
  ByteView head = source_->read(0, 5);
  if (readBE32(head.data()) != kIndexMagic) fail("bad index magic");
  version_ = head.data()[4];
  if (version_ != 2) fail("unsupported index version " + std::to_string(version_));

  ByteView toc_bytes = source_->read(n - kTocLen, kTocLen);
  const uint8_t* toc = toc_bytes.data();
  if (crc32c(0, toc, kTocLen - 4) != readBE32(toc + kTocLen - 4)) fail("TOC checksum mismatch");
  Decbuf t(toc, kTocLen - 4);
  uint64_t symbols_off = t.be64();
  t.be64();  // series
  t.be64();  // label indices
  t.be64();  // label offset table
  t.be64();  // postings
  uint64_t postings_table_off = t.be64();

  if (!lenSection(symbols_off, &symbols_section_)) fail("symbol table corrupt");
  Decbuf s(symbols_section_.data(), symbols_section_.size());
  uint32_t count = s.be32();
  if (uint64_t(count) > s.len()) fail("symbol table truncated");
  symbols_.reserve(count);
  for (uint32_t i = 0; i < count && !s.err(); ++i) symbols_.push_back(s.uvarintStr());
  if (s.err()) fail("symbol table truncated");

  if (postings_table_off != 0) {
    if (!lenSection(postings_table_off, &postings_table_section_))
      fail("postings offset table corrupt");
    Decbuf p(postings_table_section_.data(), postings_table_section_.size());
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
  if (header_) return header_->labelNames();
  std::vector<std::string> out;
  for (const auto& [name, values] : postings_table_)
    if (!name.empty()) out.emplace_back(name);
  return out;
}

std::vector<std::string> IndexReader::labelValues(const std::string& name) const {
  if (header_) return header_->labelValues(name);
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
  ByteView body;
  if (header_) {
    auto r = header_->postings(name, value);
    if (!r) return out;
    if (!hintedSection(r->offset, r->length_hint, &body) && !lenSection(r->offset, &body))
      return out;
  } else {
    auto it = postings_table_.find(name);
    if (it == postings_table_.end()) return out;
    auto vit = it->second.find(value);
    if (vit == it->second.end()) return out;
    if (!lenSection(vit->second, &body)) return out;
  }
  Decbuf d(body.data(), body.size());
  uint32_t cnt = d.be32();
  if (d.err() || d.len() < uint64_t(cnt) * 4) return out;
  out.resize(cnt);
  for (uint32_t i = 0; i < cnt; ++i) out[i] = d.be32();
  return out;
}

bool IndexReader::hintedSection(uint64_t off, uint64_t hint, ByteView* body) const {
  uint64_t n = source_->size();
  if (hint < 8 || off > n || hint > n - off) return false;
  ByteView b = source_->read(off, hint);
  uint32_t len = readBE32(b.data());
  if (uint64_t(len) + 8 > hint) return false;  // longer than the hint: read it by its length
  if (crc32c(0, b.data() + 4, len) != readBE32(b.data() + 4 + len)) return false;
  *body = b.sub(4, len);
  return true;
}

bool IndexReader::symbol(uint64_t idx, std::string_view* out) const {
  if (header_) return header_->symbol(idx, out);
  if (idx >= symbols_.size()) return false;
  *out = symbols_[idx];
  return true;
}

bool IndexReader::series(uint64_t ref, LabelSet* labels,
                         std::vector<IndexChunkMeta>* chunks) const {
  uint64_t off = ref * kSeriesAlign;
  if (ref > source_->size() / kSeriesAlign || off >= source_->size()) return false;
  // One read of a guessed size covers most entries; a longer one is read again whole.
  ByteView entry = source_->readUpTo(off, kSeriesReadGuess);
  size_t need = 0;
  Decode d = decodeSeries(ref, entry.data(), entry.size(), labels, chunks, &need);
  if (d != Decode::kShort) return d == Decode::kOk;
  if (need > source_->size() - off) return false;
  entry = source_->read(off, need);
  return decodeSeries(ref, entry.data(), entry.size(), labels, chunks, &need) == Decode::kOk;
}

IndexReader::Decode IndexReader::decodeSeries(uint64_t ref, const uint8_t* p, size_t avail,
                                              LabelSet* labels, std::vector<IndexChunkMeta>* chunks,
                                              size_t* need) const {
  Decbuf d(p, avail);
  uint64_t len = d.uvarint();
  if (d.err() && avail >= 10) return Decode::kBad;
  uint64_t off = ref * kSeriesAlign;
  size_t head = avail - d.len();
  if (d.err() || d.len() < len + 4) {
    uint64_t total = d.err() ? 10 + kSeriesReadGuess : head + len + 4;
    if (off > source_->size() || total > source_->size() - off || total <= avail)
      return Decode::kBad;
    *need = size_t(total);
    return Decode::kShort;
  }
  const uint8_t* body = p + head;
  if (crc32c(0, body, len) != readBE32(body + len)) return Decode::kBad;
  *need = size_t(head + len + 4);
  Decbuf s(body, len);
  uint64_t nl = s.uvarint();
  if (labels) labels->clear();
  for (uint64_t i = 0; i < nl && !s.err(); ++i) {
    std::string_view n, v;
    if (!symbol(s.uvarint(), &n) || !symbol(s.uvarint(), &v)) return Decode::kBad;
    if (labels) labels->emplace_back(std::string(n), std::string(v));
  }
  uint64_t nc = s.uvarint();
  if (s.err() || nc > len) return Decode::kBad;
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
  return s.err() ? Decode::kBad : Decode::kOk;
}

}  // namespace strata::tsdb
