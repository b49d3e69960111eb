// Byte-level encoders/decoders used by the TSDB file formats: big-endian fixed ints and Go's
// varint/uvarint (LEB128; signed values zig-zag encoded), as in encoding/binary.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "tsdb/encoding/crc32c.h"

namespace strata::tsdb {

class Encbuf {
 public:
  std::vector<uint8_t> b;

  void reset() { b.clear(); }
  size_t size() const { return b.size(); }
  void putByte(uint8_t v) { b.push_back(v); }
  void putBE32(uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
  }
  void putBE64(uint64_t v) {
    for (int s = 56; s >= 0; s -= 8) b.push_back(uint8_t(v >> s));
  }
  void putUvarint(uint64_t v) {
    while (v >= 0x80) {
      b.push_back(uint8_t(v) | 0x80);
      v >>= 7;
    }
    b.push_back(uint8_t(v));
  }
  void putVarint(int64_t v) { putUvarint((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  void putUvarintStr(std::string_view s) {
    putUvarint(s.size());
    b.insert(b.end(), s.begin(), s.end());
  }
  void putBytes(const uint8_t* p, size_t n) { b.insert(b.end(), p, p + n); }
  // Appends the CRC32C of bytes [from, end) big-endian.
  void putCrcOf(size_t from) { putBE32(crc32c(0, b.data() + from, b.size() - from)); }
  void setBE32At(size_t pos, uint32_t v) {
    for (int i = 0; i < 4; ++i) b[pos + i] = uint8_t(v >> (24 - 8 * i));
  }
};

// A bounds-checked reader over a byte range; any overrun sets err and yields zeros.
class Decbuf {
 public:
  Decbuf() = default;
  Decbuf(const uint8_t* p, size_t n) : p_(p), end_(p + n) {}

  bool err() const { return err_; }
  size_t len() const { return size_t(end_ - p_); }
  const uint8_t* ptr() const { return p_; }
  void fail() { err_ = true; }

  uint8_t byte() {
    if (!need(1)) return 0;
    return *p_++;
  }
  uint32_t be32() {
    if (!need(4)) return 0;
    uint32_t v = uint32_t(p_[0]) << 24 | uint32_t(p_[1]) << 16 | uint32_t(p_[2]) << 8 | p_[3];
    p_ += 4;
    return v;
  }
  uint64_t be64() {
    uint64_t hi = be32();
    return hi << 32 | be32();
  }
  uint64_t uvarint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (!need(1)) return 0;
      uint8_t c = *p_++;
      if (shift == 63 && c > 1) break;  // overflow
      v |= uint64_t(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    err_ = true;
    return 0;
  }
  int64_t varint() {
    uint64_t u = uvarint();
    return int64_t(u >> 1) ^ -int64_t(u & 1);
  }
  std::string_view uvarintStr() {
    uint64_t n = uvarint();
    if (!need(n)) return {};
    std::string_view s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return s;
  }
  void skip(size_t n) {
    if (need(n)) p_ += n;
  }

 private:
  bool need(uint64_t n) {
    if (err_ || uint64_t(end_ - p_) < n) {
      err_ = true;
      return false;
    }
    return true;
  }
  const uint8_t* p_ = nullptr;
  const uint8_t* end_ = nullptr;
  bool err_ = false;
};

inline uint32_t readBE32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

}  // namespace strata::tsdb
