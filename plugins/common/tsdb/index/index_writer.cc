#include "tsdb/index/index_writer.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"
#include "tsdb/fileutil/byte_source.h"
#include "tsdb/fileutil/file_util.h"

namespace strata::tsdb {
namespace {

constexpr uint32_t kNoSymbol = 0xffffffffu;  // the "" of the all-series postings list

void putBE32(FileWriter& f, uint32_t v) {
  const uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
  f.write(b, 4);
}

void putBE64(FileWriter& f, uint64_t v) {
  putBE32(f, uint32_t(v >> 32));
  putBE32(f, uint32_t(v));
}

// Appends to a file while keeping the CRC32C of what it appended; finish() appends the CRC.
struct CrcWriter {
  FileWriter& f;
  uint32_t crc = 0;
  void write(const uint8_t* p, size_t n) {
    crc = crc32c(crc, p, n);
    f.write(p, n);
  }
  void be32(uint32_t v) {
    const uint8_t b[4] = {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
    write(b, 4);
  }
  void finish() { putBE32(f, crc); }
};

size_t uvarintLen(uint64_t v) {
  size_t n = 1;
  for (; v >= 0x80; v >>= 7) ++n;
  return n;
}

// One (label pair, series) of a postings pass.
struct Entry {
  uint32_t name, value, ref;
  uint64_t key() const { return uint64_t(name) << 32 | value; }
};

}  // namespace

struct IndexWriter::Impl {
  std::string path;
  IndexWriterOptions options;
  FileWriter f;
  std::vector<std::string> symbols;
  bool symbols_written = false;
  LabelSet prev;
  bool have_prev = false;
  Encbuf body, entry;
  uint64_t toc_symbols = 0, toc_series = 0;
  uint32_t num_series = 0;
  uint64_t total_pairs = 0;
  bool finished = false;
  std::string postings_path, values_path, offsets_path;

  Impl(std::string p, IndexWriterOptions o)
      : path(std::move(p)),
        options(o),
        f(path),
        postings_path(path + ".tmp-postings"),
        values_path(path + ".tmp-label-values"),
        offsets_path(path + ".tmp-postings-offsets") {
    if (options.postings_batch_entries == 0) options.postings_batch_entries = 1;
    Encbuf e;
    e.putBE32(kIndexMagic);
    e.putByte(kIndexVersion2);
    f.write(e.b);
  }

  void removeSpills() {
    std::remove(postings_path.c_str());
    std::remove(values_path.c_str());
    std::remove(offsets_path.c_str());
  }

  uint32_t symbolIndex(std::string_view s) const {
    auto it = std::lower_bound(symbols.begin(), symbols.end(), s,
                               [](const std::string& a, std::string_view b) { return a < b; });
    if (it == symbols.end() || *it != s)
      throw std::invalid_argument("index: \"" + std::string(s) + "\" is not a symbol");
    return uint32_t(it - symbols.begin());
  }

  void writeSymbols() {
    symbols_written = true;
    toc_symbols = f.pos();
    uint64_t len = 4;
    for (const auto& s : symbols) len += uvarintLen(s.size()) + s.size();
    if (len > 0xffffffffu) throw std::runtime_error("index: symbol table exceeds 4 GiB");
    putBE32(f, uint32_t(len));
    CrcWriter w{f};
    w.be32(uint32_t(symbols.size()));
    Encbuf e;
    for (const auto& s : symbols) {
      e.reset();
      e.putUvarintStr(s);
      w.write(e.b.data(), e.size());
    }
    w.finish();
    f.pad(kSeriesAlign);
    toc_series = f.pos();
  }
};

IndexWriter::IndexWriter(std::string path, IndexWriterOptions options)
    : impl_(new Impl(std::move(path), options)) {}

IndexWriter::~IndexWriter() { impl_->removeSpills(); }

void IndexWriter::addSymbol(std::string s) {
  Impl& m = *impl_;
  if (m.symbols_written) throw std::invalid_argument("index: symbol added after series");
  if (!m.symbols.empty() && !(m.symbols.back() < s))
    throw std::invalid_argument("index: symbols not sorted or duplicated");
  m.symbols.push_back(std::move(s));
}

uint32_t IndexWriter::addSeries(const LabelSet& labels, const std::vector<IndexChunkMeta>& chunks) {
  Impl& m = *impl_;
  if (!m.symbols_written) m.writeSymbols();
  if (m.have_prev && compareLabels(m.prev, labels) >= 0)
    throw std::invalid_argument("index: series not sorted or duplicated");
  m.prev = labels;
  m.have_prev = true;

  Encbuf& body = m.body;
  body.reset();
  body.putUvarint(labels.size());
  for (const auto& [n, v] : labels) {
    body.putUvarint(m.symbolIndex(n));
    body.putUvarint(m.symbolIndex(v));
  }
  m.total_pairs += labels.size();
  body.putUvarint(chunks.size());
  if (!chunks.empty()) {
    const auto& c0 = chunks[0];
    body.putVarint(c0.min_time);
    body.putUvarint(uint64_t(c0.max_time - c0.min_time));
    body.putUvarint(c0.ref);
    int64_t prev_max = c0.max_time;
    uint64_t prev_ref = c0.ref;
    for (size_t k = 1; k < chunks.size(); ++k) {
      const auto& c = chunks[k];
      body.putUvarint(uint64_t(c.min_time - prev_max));
      body.putUvarint(uint64_t(c.max_time - c.min_time));
      body.putVarint(int64_t(c.ref - prev_ref));
      prev_max = c.max_time;
      prev_ref = c.ref;
    }
  }
  m.f.pad(kSeriesAlign);
  uint64_t ref64 = m.f.pos() / kSeriesAlign;
  if (ref64 > 0xffffffffu) throw std::runtime_error("index: series section exceeds 64 GiB");
  Encbuf& e = m.entry;
  e.reset();
  e.putUvarint(body.size());
  e.putBytes(body.b.data(), body.size());
  e.putBE32(crc32c(0, body.b.data(), body.size()));
  m.f.write(e.b);
  ++m.num_series;
  return uint32_t(ref64);
}

void IndexWriter::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  if (!m.symbols_written) m.writeSymbols();
  FileWriter& f = m.f;
  const uint64_t series_end = f.pos();
  f.flush();

  // The series section as written, re-read for the postings.
  std::unique_ptr<MmapByteSource> written;
  ByteView series;
  if (series_end > m.toc_series) {
    written = std::make_unique<MmapByteSource>(m.path);
    series = written->read(m.toc_series, series_end - m.toc_series);
  }
  // Calls on_series(ref) per series and on_pair(ref, name, value) per label pair.
  auto forEachSeries = [&](auto&& on_series, auto&& on_pair) {
    ++stats_.postings_passes;
    const uint8_t* p = series.data();
    uint64_t n = series.size(), pos = 0;
    while (pos < n) {
      Decbuf d(p + pos, n - pos);
      uint64_t len = d.uvarint();
      size_t head = size_t(n - pos - d.len());
      Decbuf s(p + pos + head, len);
      uint32_t ref = uint32_t((m.toc_series + pos) / kSeriesAlign);
      on_series(ref);
      uint64_t nl = s.uvarint();
      for (uint64_t i = 0; i < nl; ++i) {
        uint32_t name = uint32_t(s.uvarint());
        on_pair(ref, name, uint32_t(s.uvarint()));
      }
      pos = (pos + head + len + 4 + kSeriesAlign - 1) / kSeriesAlign * kSeriesAlign;
    }
  };

  // Postings lists, label index values and postings offset entries, in key order, to spills.
  FileWriter postings(m.postings_path), values(m.values_path), offsets(m.offsets_path);
  std::vector<std::pair<uint32_t, uint32_t>> names;  // name symbol -> number of values
  uint32_t num_offsets = 0;
  auto startList = [&](uint32_t name, uint32_t value, uint32_t count) {
    postings.pad(4);
    putBE32(offsets, name);
    putBE32(offsets, value);
    putBE64(offsets, postings.pos());
    ++num_offsets;
    if (name != kNoSymbol) {
      putBE32(values, value);
      if (names.empty() || names.back().first != name) names.emplace_back(name, 0);
      ++names.back().second;
    }
    putBE32(postings, 4 + 4 * count);
    CrcWriter w{postings};
    w.be32(count);
    return w;
  };
  {
    CrcWriter w = startList(kNoSymbol, kNoSymbol, m.num_series);
    forEachSeries([&](uint32_t ref) { w.be32(ref); }, [](uint32_t, uint32_t, uint32_t) {});
    w.finish();
  }
  const size_t batch = m.options.postings_batch_entries;
  std::vector<Entry> entries;
  entries.reserve(size_t(std::min<uint64_t>(2 * batch, m.total_pairs)));
  const uint64_t kEnd = ~uint64_t{0};
  for (uint64_t lo = 0; lo != kEnd && m.total_pairs > 0;) {
    // Keys [lo, hi); when `big`, key hi - 1 alone had more than `batch` series: only counted.
    uint64_t hi = kEnd;
    bool big = false;
    uint32_t big_count = 0;
    entries.clear();
    forEachSeries(
        [](uint32_t) {},
        [&](uint32_t ref, uint32_t name, uint32_t value) {
          uint64_t key = uint64_t(name) << 32 | value;
          if (key < lo || key >= hi) return;
          if (big && key == hi - 1) {
            ++big_count;
            return;
          }
          entries.push_back({name, value, ref});
          if (entries.size() < 2 * batch) return;
          stats_.peak_postings_entries = std::max(stats_.peak_postings_entries, entries.size());
          std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
            return a.key() != b.key() ? a.key() < b.key() : a.ref < b.ref;
          });
          uint64_t cut = entries[batch].key();
          if (cut == entries[0].key()) {
            // One pair fills the batch: count it, stream it in a pass of its own.
            big = true;
            big_count = uint32_t(std::count_if(entries.begin(), entries.end(),
                                               [&](const Entry& e) { return e.key() == cut; }));
            entries.clear();
            hi = cut + 1;
          } else {
            auto first = std::lower_bound(entries.begin(), entries.end(), cut,
                                          [](const Entry& e, uint64_t k) { return e.key() < k; });
            entries.erase(first, entries.end());
            hi = cut;
            big = false;
          }
        });
    stats_.peak_postings_entries = std::max(stats_.peak_postings_entries, entries.size());
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.key() != b.key() ? a.key() < b.key() : a.ref < b.ref;
    });
    for (size_t i = 0; i < entries.size();) {
      size_t j = i;
      while (j < entries.size() && entries[j].key() == entries[i].key()) ++j;
      CrcWriter w = startList(entries[i].name, entries[i].value, uint32_t(j - i));
      for (; i < j; ++i) w.be32(entries[i].ref);
      w.finish();
    }
    if (big) {
      uint64_t key = hi - 1;
      CrcWriter w = startList(uint32_t(key >> 32), uint32_t(key), big_count);
      forEachSeries([](uint32_t) {},
                    [&](uint32_t ref, uint32_t name, uint32_t value) {
                      if ((uint64_t(name) << 32 | value) == key) w.be32(ref);
                    });
      w.finish();
    }
    lo = hi;
  }
  entries = {};
  postings.flush();
  values.flush();
  offsets.flush();
  written.reset();

  // Label indices, one per name: its sorted value symbols.
  f.pad(4);
  const uint64_t toc_label_indices = f.pos();
  std::vector<std::pair<uint32_t, uint64_t>> label_offsets;
  {
    MmapByteSource vals(m.values_path);
    const uint8_t* v = vals.size() ? vals.read(0, vals.size()).data() : nullptr;
    for (const auto& [name, count] : names) {
      f.pad(4);
      label_offsets.emplace_back(name, f.pos());
      putBE32(f, 8 + 4 * count);
      CrcWriter w{f};
      w.be32(1);  // #names
      w.be32(count);
      w.write(v, 4 * size_t(count));
      v += 4 * size_t(count);
      w.finish();
    }
  }

  // Postings, copied from their spill.
  f.pad(4);
  const uint64_t toc_postings = f.pos();
  {
    MmapByteSource p(m.postings_path);
    if (p.size()) f.write(p.read(0, p.size()).data(), p.size());
  }

  // Label offset table (one entry per name).
  const uint64_t toc_label_table = f.pos();
  Encbuf e;
  e.putBE32(0);
  e.putBE32(uint32_t(label_offsets.size()));
  for (const auto& [name, off] : label_offsets) {
    e.putUvarint(1);
    e.putUvarintStr(m.symbols[name]);
    e.putUvarint(off);
  }
  e.setBE32At(0, uint32_t(e.size() - 4));
  e.putCrcOf(4);
  f.write(e.b);

  // Postings offset table, from its spill (name, value, offset in the postings spill).
  const uint64_t toc_postings_table = f.pos();
  {
    MmapByteSource o(m.offsets_path);
    const uint8_t* base = o.size() ? o.read(0, o.size()).data() : nullptr;
    auto str = [&](uint32_t sym) -> std::string_view {
      return sym == kNoSymbol ? std::string_view() : std::string_view(m.symbols[sym]);
    };
    uint64_t len = 4;
    for (uint32_t i = 0; i < num_offsets; ++i) {
      const uint8_t* r = base + 16 * size_t(i);
      std::string_view n = str(readBE32(r)), v = str(readBE32(r + 4));
      uint64_t off = toc_postings + (uint64_t(readBE32(r + 8)) << 32 | readBE32(r + 12));
      len +=
          1 + uvarintLen(n.size()) + n.size() + uvarintLen(v.size()) + v.size() + uvarintLen(off);
    }
    if (len > 0xffffffffu) throw std::runtime_error("index: postings offset table exceeds 4 GiB");
    putBE32(f, uint32_t(len));
    CrcWriter w{f};
    w.be32(num_offsets);
    for (uint32_t i = 0; i < num_offsets; ++i) {
      const uint8_t* r = base + 16 * size_t(i);
      uint64_t off = toc_postings + (uint64_t(readBE32(r + 8)) << 32 | readBE32(r + 12));
      e.reset();
      e.putUvarint(2);
      e.putUvarintStr(str(readBE32(r)));
      e.putUvarintStr(str(readBE32(r + 4)));
      e.putUvarint(off);
      w.write(e.b.data(), e.size());
    }
    w.finish();
  }

  // TOC.
  e.reset();
  for (uint64_t v : {m.toc_symbols, m.toc_series, toc_label_indices, toc_label_table, toc_postings,
                     toc_postings_table})
    e.putBE64(v);
  e.putCrcOf(0);
  f.write(e.b);
  f.close();
  m.removeSpills();
  m.finished = true;
}

std::vector<uint32_t> writeIndexFile(const std::string& path,
                                     const std::vector<IndexSeriesInput>& series) {
  for (size_t i = 1; i < series.size(); ++i) {
    if (compareLabels(*series[i - 1].labels, *series[i].labels) >= 0)
      throw std::invalid_argument("index: series not sorted or duplicated");
  }
  std::vector<std::string_view> syms;
  for (const auto& s : series)
    for (const auto& [n, v] : *s.labels) {
      syms.push_back(n);
      syms.push_back(v);
    }
  std::sort(syms.begin(), syms.end());
  syms.erase(std::unique(syms.begin(), syms.end()), syms.end());
  IndexWriter w(path);
  for (auto s : syms) w.addSymbol(std::string(s));
  std::vector<uint32_t> refs;
  refs.reserve(series.size());
  for (const auto& s : series) refs.push_back(w.addSeries(*s.labels, s.chunks));
  w.finish();
  return refs;
}

}  // namespace strata::tsdb
