#include "tsdb/chunks/chunk_segments.h"

#include <dirent.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "tsdb/encoding/crc32c.h"
#include "tsdb/encoding/encoding.h"

namespace strata::tsdb {

std::string segmentFileName(size_t index) {
  char name[16];
  std::snprintf(name, sizeof name, "%06zu", index + 1);
  return name;
}

ChunkSegmentWriter::ChunkSegmentWriter(std::string dir, uint64_t segment_max)
    : dir_(std::move(dir)), segment_max_(segment_max) {}

ChunkSegmentWriter::~ChunkSegmentWriter() = default;

void ChunkSegmentWriter::cut() {
  if (cur_) cur_->close();
  cur_ = std::make_unique<FileWriter>(dir_ + "/" + segmentFileName(seq_));
  ++seq_;
  const uint8_t header[kSegmentHeaderLen] = {0x85, 0xBD, 0x40, 0xDD, 1, 0, 0, 0};
  cur_->write(header, sizeof header);
}

uint64_t ChunkSegmentWriter::write(uint8_t encoding, const uint8_t* data, size_t len) {
  Encbuf head;
  head.putUvarint(len);
  head.putByte(encoding);
  uint64_t total = head.size() + len + 4;
  // Like Prometheus, a chunk never straddles segments; a new one starts when this chunk would
  // push the current one past the limit (an oversized chunk still gets a segment of its own).
  if (!cur_ || (cur_->pos() > kSegmentHeaderLen && cur_->pos() + total > segment_max_)) cut();
  uint64_t ref = uint64_t(seq_ - 1) << 32 | cur_->pos();
  uint32_t crc = crc32c(0, &encoding, 1);
  crc = crc32c(crc, data, len);
  cur_->write(head.b);
  cur_->write(data, len);
  const uint8_t c[4] = {uint8_t(crc >> 24), uint8_t(crc >> 16), uint8_t(crc >> 8), uint8_t(crc)};
  cur_->write(c, 4);
  return ref;
}

void ChunkSegmentWriter::finish() {
  if (cur_) cur_->close();
  cur_.reset();
}

ChunkSegmentReader::ChunkSegmentReader(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (!n.empty() &&
          std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
        names.push_back(n);
    }
    ::closedir(d);
  } else {
    throwErrno("open chunks dir", dir);
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) segments_.push_back(std::make_shared<MmapByteSource>(dir + "/" + n));
  checkHeaders();
}

ChunkSegmentReader::ChunkSegmentReader(std::vector<std::shared_ptr<const ByteSource>> segments)
    : segments_(std::move(segments)) {
  checkHeaders();
}

void ChunkSegmentReader::checkHeaders() {
  for (const auto& f : segments_) {
    mapped_.push_back(f->mapped());
    sizes_.push_back(f->size());
    if (f->size() < kSegmentHeaderLen)
      throw std::runtime_error(f->name() + ": not a chunk segment (bad magic)");
    ByteView h = f->read(0, kSegmentHeaderLen);
    if (readBE32(h.data()) != kChunksMagic)
      throw std::runtime_error(f->name() + ": not a chunk segment (bad magic)");
    if (h.data()[4] != 1)
      throw std::runtime_error(f->name() + ": unsupported chunk segment version " +
                               std::to_string(h.data()[4]));
  }
}

ChunkDecode decodeChunk(const uint8_t* p, size_t avail, uint8_t* encoding, const uint8_t** data,
                        size_t* len, size_t* need) {
  Decbuf d(p, avail);
  uint64_t n = d.uvarint();
  if (d.err()) {
    if (avail >= 10) return ChunkDecode::kBad;
    *need = 10 + 5;
    return ChunkDecode::kShort;
  }
  size_t head = avail - d.len();
  if (n > (uint64_t(1) << 31)) return ChunkDecode::kBad;
  if (d.len() < n + 5) {
    *need = size_t(head + n + 5);
    return ChunkDecode::kShort;
  }
  const uint8_t* q = p + head;
  if (crc32c(0, q, 1 + n) != readBE32(q + 1 + n)) return ChunkDecode::kBad;
  *encoding = q[0];
  *data = q + 1;
  *len = size_t(n);
  return ChunkDecode::kOk;
}

bool ChunkSegmentReader::find(uint64_t ref, ByteView* keep, const uint8_t** p, uint64_t* n,
                              std::string* error) const {
  size_t seg = size_t(ref >> 32);
  uint64_t off = ref & 0xffffffffu;
  if (seg >= segments_.size()) {
    *error = "chunk ref " + std::to_string(ref) + ": no segment " + std::to_string(seg);
    return false;
  }
  const uint64_t size = sizes_[seg];
  if (off < kSegmentHeaderLen || off >= size) {
    *error = segments_[seg]->name() + ": chunk offset " + std::to_string(off) + " out of range";
    return false;
  }
  // A mapped segment is read in place; another source is asked for a guessed range first.
  const uint8_t* q = mapped_[seg] ? mapped_[seg] + off : nullptr;
  size_t have = size_t(size - off);
  if (!q) {
    *keep = segments_[seg]->read(off, std::min<uint64_t>(have, kChunkReadGuess));
    q = keep->data();
    have = keep->size();
  }
  Decbuf d(q, have);
  uint64_t len = d.uvarint();
  size_t head = have - d.len();
  uint64_t avail = size - off - head;
  if (d.err() || len > avail || avail - len < 5) {
    *error = segments_[seg]->name() + ": chunk at " + std::to_string(off) + " truncated";
    return false;
  }
  if (d.len() < len + 5) {  // only after a guess that was too short
    *keep = segments_[seg]->read(off, head + len + 5);
    q = keep->data();
  }
  q += head;
  if (crc32c(0, q, 1 + len) != readBE32(q + 1 + len)) {
    *error = segments_[seg]->name() + ": chunk at " + std::to_string(off) + " checksum mismatch";
    return false;
  }
  *p = q;
  *n = len;
  return true;
}

bool ChunkSegmentReader::chunk(uint64_t ref, uint8_t* encoding, ByteView* data,
                               std::string* error) const {
  ByteView keep;
  const uint8_t* p;
  uint64_t n;
  if (!find(ref, &keep, &p, &n, error)) return false;
  *encoding = p[0];
  *data = keep.empty() ? ByteView(p + 1, size_t(n)) : keep.sub(size_t(p + 1 - keep.data()), n);
  return true;
}

bool ChunkSegmentReader::chunk(uint64_t ref, uint8_t* encoding, const uint8_t** data, size_t* len,
                               std::string* error) const {
  size_t seg = size_t(ref >> 32);
  if (seg < segments_.size() && !mapped_[seg]) {
    *error = segments_[seg]->name() + ": not a local file, chunk data needs a ByteView";
    return false;
  }
  ByteView keep;
  const uint8_t* p;
  uint64_t n;
  if (!find(ref, &keep, &p, &n, error)) return false;
  *encoding = p[0];
  *data = p + 1;
  *len = size_t(n);
  return true;
}

}  // namespace strata::tsdb
