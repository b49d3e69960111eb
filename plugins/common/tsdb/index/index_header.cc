#include "tsdb/index/index_header.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"
#include "tsdb/index/index_format.h"

namespace strata::tsdb {
namespace {

constexpr size_t kFixedLen = 8 + 4 * 8;

// `len u32 | body | CRC32C` at off of the index: the body (checksum verified).
ByteView section(const ByteSource& index, uint64_t off, const char* what, uint64_t* fetched) {
  uint64_t n = index.size();
  if (off > n || n - off < 8) throw std::runtime_error(index.name() + ": " + what + " corrupt");
  uint32_t len = readBE32(index.read(off, 4).data());
  if (n - off - 4 < uint64_t(len) + 4)
    throw std::runtime_error(index.name() + ": " + what + " corrupt");
  ByteView b = index.read(off + 4, uint64_t(len) + 4);
  *fetched += 8 + len;
  if (crc32c(0, b.data(), len) != readBE32(b.data() + len))
    throw std::runtime_error(index.name() + ": " + what + " checksum mismatch");
  return b.sub(0, len);
}

}  // namespace

uint64_t buildIndexHeader(const ByteSource& index, const std::string& path) {
  uint64_t n = index.size(), fetched = 0;
  if (n < 5 + kTocLen) throw std::runtime_error(index.name() + ": index too short");
  ByteView head = index.read(0, 5);
  if (readBE32(head.data()) != kIndexMagic) throw std::runtime_error(index.name() + ": bad magic");
  if (head.data()[4] != kIndexVersion2)
    throw std::runtime_error(index.name() + ": unsupported index version " +
                             std::to_string(head.data()[4]));
  ByteView toc = index.read(n - kTocLen, kTocLen);
  fetched += 5 + kTocLen;
  if (crc32c(0, toc.data(), kTocLen - 4) != readBE32(toc.data() + kTocLen - 4))
    throw std::runtime_error(index.name() + ": TOC checksum mismatch");
  Decbuf t(toc.data(), kTocLen - 4);
  uint64_t symbols_off = t.be64();
  t.be64();  // series
  t.be64();  // label indices
  uint64_t label_table_off = t.be64();
  t.be64();  // postings
  uint64_t table_off = t.be64();

  ByteView symbols = section(index, symbols_off, "symbol table", &fetched);
  ByteView table;
  if (table_off != 0) table = section(index, table_off, "postings offset table", &fetched);

  Encbuf e;
  e.putBE32(kIndexHeaderMagic);
  e.putByte(kIndexHeaderVersion);
  for (int i = 0; i < 3; ++i) e.putByte(0);
  for (uint64_t v : {n, symbols_off, table_off, label_table_off}) e.putBE64(v);
  e.putBE32(uint32_t(symbols.size()));
  e.putBytes(symbols.data(), symbols.size());
  e.putBE32(uint32_t(table.size()));
  e.putBytes(table.data(), table.size());
  e.putCrcOf(0);

  std::string tmp = path + ".tmp";
  {
    FileWriter w(tmp);
    w.write(e.b);
    w.close();  // fsyncs
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throwErrno("rename", tmp);
  return fetched;
}

std::shared_ptr<const IndexHeader> IndexHeader::open(const std::string& path, uint64_t index_size) {
  std::shared_ptr<IndexHeader> h(new IndexHeader(path));
  h->parse(index_size);
  return h;
}

void IndexHeader::parse(uint64_t index_size) {
  auto bad = [&](const std::string& what) {
    return std::runtime_error(file_.path() + ": index-header " + what);
  };
  const uint8_t* p = file_.data();
  size_t n = file_.size();
  if (n < kFixedLen + 12) throw bad("too short");
  if (readBE32(p) != kIndexHeaderMagic) throw bad("bad magic");
  if (p[4] != kIndexHeaderVersion) throw bad("version " + std::to_string(p[4]) + " not 1");
  if (crc32c(0, p, n - 4) != readBE32(p + n - 4)) throw bad("checksum mismatch");
  Decbuf d(p + 8, n - 8 - 4);
  index_size_ = d.be64();
  d.be64();
  d.be64();
  postings_end_ = d.be64();
  if (index_size != 0 && index_size_ != index_size)
    throw bad("built from an index of " + std::to_string(index_size_) + " bytes, not " +
              std::to_string(index_size));
  symbols_len_ = d.be32();
  if (d.len() < symbols_len_ + 4) throw bad("symbols truncated");
  const uint8_t* sym = d.ptr();
  d.skip(symbols_len_);
  table_len_ = d.be32();
  if (d.err() || d.len() != table_len_) throw bad("postings table truncated");
  table_ = d.ptr();

  Decbuf s(sym, symbols_len_);
  num_symbols_ = s.be32();
  symbols_ = s.ptr();
  symbols_len_ = s.len();
  for (uint64_t i = 0; i < num_symbols_ && !s.err(); ++i) {
    if (i % kSampleEvery == 0) symbol_samples_.push_back(uint32_t(s.ptr() - symbols_));
    s.uvarintStr();
  }
  if (s.err()) throw bad("symbols corrupt");

  if (table_len_ == 0) return;
  Decbuf c(table_, table_len_);
  uint32_t entries = c.be32();
  uint32_t pos = 4;
  for (uint32_t i = 0; i < entries; ++i) {
    std::string_view name, value;
    uint64_t off = 0;
    uint32_t at = pos;
    if (!entryAt(&pos, &name, &value, &off)) throw bad("postings table corrupt");
    NameEntries& ne = names_[name];
    if (ne.count == 0) ne.first = i;
    if (ne.count % kSampleEvery == 0) ne.samples.push_back({value, at});
    ++ne.count;
  }
}

bool IndexHeader::entryAt(uint32_t* pos, std::string_view* name, std::string_view* value,
                          uint64_t* off) const {
  if (*pos >= table_len_) return false;
  Decbuf d(table_ + *pos, table_len_ - *pos);
  if (d.uvarint() != 2) return false;
  *name = d.uvarintStr();
  *value = d.uvarintStr();
  *off = d.uvarint();
  if (d.err()) return false;
  *pos = uint32_t(table_len_ - d.len());
  return true;
}

bool IndexHeader::symbol(uint64_t idx, std::string_view* out) const {
  if (idx >= num_symbols_) return false;
  uint32_t start = symbol_samples_[idx / kSampleEvery];
  Decbuf d(symbols_ + start, symbols_len_ - start);
  for (uint64_t i = idx % kSampleEvery; i > 0; --i) d.uvarintStr();
  *out = d.uvarintStr();
  return !d.err();
}

std::vector<std::string> IndexHeader::labelNames() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : names_)
    if (!name.empty()) out.emplace_back(name);
  return out;
}

std::vector<std::string> IndexHeader::labelValues(std::string_view name) const {
  std::vector<std::string> out;
  auto it = names_.find(name);
  if (name.empty() || it == names_.end()) return out;
  uint32_t pos = it->second.samples.front().pos;
  out.reserve(it->second.count);
  for (uint32_t i = 0; i < it->second.count; ++i) {
    std::string_view n, v;
    uint64_t off;
    if (!entryAt(&pos, &n, &v, &off)) break;
    out.emplace_back(v);
  }
  return out;
}

std::optional<PostingsRange> IndexHeader::postings(std::string_view name,
                                                   std::string_view value) const {
  auto it = names_.find(name);
  if (it == names_.end()) return std::nullopt;
  const auto& samples = it->second.samples;
  // The last sample at or before `value`, then at most kSampleEvery entries from there.
  auto s = std::upper_bound(samples.begin(), samples.end(), value,
                            [](std::string_view v, const Sample& x) { return v < x.value; });
  if (s == samples.begin()) return std::nullopt;
  --s;
  uint32_t pos = s->pos;
  uint32_t left = it->second.count - uint32_t(s - samples.begin()) * kSampleEvery;
  for (uint32_t i = 0; i < std::min(left, kSampleEvery); ++i) {
    std::string_view n, v;
    uint64_t off = 0;
    if (!entryAt(&pos, &n, &v, &off)) return std::nullopt;
    if (v > value) return std::nullopt;
    if (v < value) continue;
    PostingsRange r{off, 0};
    std::string_view n2, v2;
    uint64_t next = 0;
    if (entryAt(&pos, &n2, &v2, &next)) {
      if (next > off) r.length_hint = next - off;
    } else if (postings_end_ > off) {
      r.length_hint = postings_end_ - off;
    }
    return r;
  }
  return std::nullopt;
}

size_t IndexHeader::sampledBytes() const {
  size_t n = symbol_samples_.size() * sizeof(uint32_t);
  for (const auto& [name, e] : names_) n += sizeof(e) + e.samples.size() * sizeof(Sample) + 64;
  return n;
}

}  // namespace strata::tsdb
