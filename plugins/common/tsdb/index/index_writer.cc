#include "tsdb/index/index_writer.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"
#include "tsdb/fileutil/file_util.h"

namespace strata::tsdb {

namespace {

// Writes `len <4b> | body | CRC32C(body)` where body is enc.b from body_start on, after the
// 4-byte placeholder at body_start - 4.
void finishLenSection(Encbuf& enc, size_t len_pos) {
  size_t body = len_pos + 4;
  enc.setBE32At(len_pos, uint32_t(enc.size() - body));
  enc.putCrcOf(body);
}

}  // namespace

std::vector<uint32_t> writeIndexFile(const std::string& path,
                                     const std::vector<IndexSeriesInput>& series) {
  for (size_t i = 1; i < series.size(); ++i) {
    if (compareLabels(*series[i - 1].labels, *series[i].labels) >= 0)
      throw std::invalid_argument("index: series not sorted or duplicated");
  }
  // Symbols: every label name and value, sorted, referenced by position.
  std::vector<std::string_view> syms;
  for (const auto& s : series)
    for (const auto& [n, v] : *s.labels) {
      syms.push_back(n);
      syms.push_back(v);
    }
  std::sort(syms.begin(), syms.end());
  syms.erase(std::unique(syms.begin(), syms.end()), syms.end());
  std::unordered_map<std::string_view, uint32_t> sym_idx;
  sym_idx.reserve(syms.size());
  for (size_t i = 0; i < syms.size(); ++i) sym_idx.emplace(syms[i], uint32_t(i));

  FileWriter f(path);
  Encbuf e;
  e.putBE32(kIndexMagic);
  e.putByte(kIndexVersion2);
  f.write(e.b);

  // Symbol table.
  uint64_t toc_symbols = f.pos();
  e.reset();
  e.putBE32(0);
  e.putBE32(uint32_t(syms.size()));
  for (auto s : syms) e.putUvarintStr(s);
  finishLenSection(e, 0);
  f.write(e.b);

  // Series.
  f.pad(kSeriesAlign);
  uint64_t toc_series = f.pos();
  std::vector<uint32_t> refs(series.size());
  // (name symbol, value symbol) -> series refs; ordered, so it is also sorted by strings.
  std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> postings;
  Encbuf body;
  for (size_t i = 0; i < series.size(); ++i) {
    f.pad(kSeriesAlign);
    uint64_t ref64 = f.pos() / kSeriesAlign;
    if (ref64 > 0xffffffffu) throw std::runtime_error("index: series section exceeds 64 GiB");
    uint32_t ref = uint32_t(ref64);
    refs[i] = ref;
    const auto& s = series[i];
    body.reset();
    body.putUvarint(s.labels->size());
    for (const auto& [n, v] : *s.labels) {
      uint32_t ni = sym_idx.at(n), vi = sym_idx.at(v);
      body.putUvarint(ni);
      body.putUvarint(vi);
      postings[{ni, vi}].push_back(ref);
    }
    body.putUvarint(s.chunks.size());
    if (!s.chunks.empty()) {
      const auto& c0 = s.chunks[0];
      body.putVarint(c0.min_time);
      body.putUvarint(uint64_t(c0.max_time - c0.min_time));
      body.putUvarint(c0.ref);
      int64_t prev_max = c0.max_time;
      uint64_t prev_ref = c0.ref;
      for (size_t k = 1; k < s.chunks.size(); ++k) {
        const auto& c = s.chunks[k];
        body.putUvarint(uint64_t(c.min_time - prev_max));
        body.putUvarint(uint64_t(c.max_time - c.min_time));
        body.putVarint(int64_t(c.ref - prev_ref));
        prev_max = c.max_time;
        prev_ref = c.ref;
      }
    }
    e.reset();
    e.putUvarint(body.size());
    e.putBytes(body.b.data(), body.size());
    e.putBE32(crc32c(0, body.b.data(), body.size()));
    f.write(e.b);
  }

  // Label indices, one per name: its sorted value symbols as 4-byte refs.
  f.pad(4);
  uint64_t toc_label_indices = f.pos();
  std::vector<std::pair<uint32_t, uint64_t>> label_index_offsets;  // name symbol -> offset
  for (auto it = postings.begin(); it != postings.end();) {
    uint32_t name = it->first.first;
    f.pad(4);
    label_index_offsets.emplace_back(name, f.pos());
    e.reset();
    e.putBE32(0);
    e.putBE32(1);  // #names
    e.putBE32(0);  // #entries, patched below
    uint32_t n = 0;
    for (; it != postings.end() && it->first.first == name; ++it, ++n) e.putBE32(it->first.second);
    e.setBE32At(8, n);
    finishLenSection(e, 0);
    f.write(e.b);
  }

  // Postings: the all-series list first, then every pair in order.
  f.pad(4);
  uint64_t toc_postings = f.pos();
  std::vector<std::tuple<std::string_view, std::string_view, uint64_t>> postings_offsets;
  auto writePostings = [&](std::string_view n, std::string_view v, const uint32_t* r, size_t cnt) {
    f.pad(4);
    postings_offsets.emplace_back(n, v, f.pos());
    e.reset();
    e.putBE32(0);
    e.putBE32(uint32_t(cnt));
    for (size_t k = 0; k < cnt; ++k) e.putBE32(r[k]);
    finishLenSection(e, 0);
    f.write(e.b);
  };
  writePostings("", "", refs.data(), refs.size());
  for (const auto& [key, list] : postings)
    writePostings(syms[key.first], syms[key.second], list.data(), list.size());

  // Label offset table.
  uint64_t toc_label_table = f.pos();
  e.reset();
  e.putBE32(0);
  e.putBE32(uint32_t(label_index_offsets.size()));
  for (const auto& [name, off] : label_index_offsets) {
    e.putUvarint(1);
    e.putUvarintStr(syms[name]);
    e.putUvarint(off);
  }
  finishLenSection(e, 0);
  f.write(e.b);

  // Postings offset table.
  uint64_t toc_postings_table = f.pos();
  e.reset();
  e.putBE32(0);
  e.putBE32(uint32_t(postings_offsets.size()));
  for (const auto& [n, v, off] : postings_offsets) {
    e.putUvarint(2);
    e.putUvarintStr(n);
    e.putUvarintStr(v);
    e.putUvarint(off);
  }
  finishLenSection(e, 0);
  f.write(e.b);

  // TOC.
  e.reset();
  for (uint64_t v : {toc_symbols, toc_series, toc_label_indices, toc_label_table, toc_postings,
                     toc_postings_table})
    e.putBE64(v);
  e.putCrcOf(0);
  f.write(e.b);
  f.close();
  return refs;
}

}  // namespace strata::tsdb
