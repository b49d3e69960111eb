// Protobuf wire-format primitives over an untrusted buffer, for decoders that must not copy:
// length-delimited fields come back as views into the buffer. Every read is bounds-checked
// and reports failure instead of reading past the end.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace strata::prompb {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kStartGroup = 3, kFixed32 = 5 };

class WireReader {
 public:
  explicit WireReader(std::string_view in)
      : p_(reinterpret_cast<const uint8_t*>(in.data())), end_(p_ + in.size()) {}

  bool done() const { return p_ == end_; }

  bool varint(uint64_t* v) {
    uint64_t out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      uint8_t b = *p_++;
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = out;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }

  // A field key; field number 0 is invalid on the wire.
  bool tag(uint32_t* field, uint32_t* type) {
    uint64_t key;
    if (!varint(&key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) return false;
    *field = last_field_ = static_cast<uint32_t>(key >> 3);
    *type = static_cast<uint32_t>(key & 7);
    return true;
  }

  bool bytes(std::string_view* out) {
    uint64_t len;
    if (!varint(&len) || len > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(reinterpret_cast<const char*>(p_), static_cast<size_t>(len));
    p_ += len;
    return true;
  }

  bool fixed64(uint64_t* v) {
    if (end_ - p_ < 8) return false;
    uint64_t out = 0;
    for (int i = 7; i >= 0; --i) out = (out << 8) | p_[i];  // little-endian on the wire
    p_ += 8;
    *v = out;
    return true;
  }

  bool fixed64AsDouble(double* d) {
    uint64_t bits;
    if (!fixed64(&bits)) return false;
    std::memcpy(d, &bits, sizeof bits);
    return true;
  }

  // Skips the value of the field whose key tag() just read (unknown fields, as protobuf does);
  // a group must end with its own field number, and is skipped up to a nesting depth, so a
  // hostile body cannot recurse without bound.
  bool skip(uint32_t type, int depth = 0) {
    uint64_t v;
    std::string_view s;
    switch (type) {
      case kVarint:
        return varint(&v);
      case kFixed64:
        return advance(8);
      case kLen:
        return bytes(&s);
      case kFixed32:
        return advance(4);
      case kStartGroup:
        return skipGroup(last_field_, depth);
      default:
        return false;  // 4 (end group without a start) and 6, 7 do not exist
    }
  }

 private:
  bool advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }
  bool skipGroup(uint32_t start_field, int depth) {
    if (depth >= 32) return false;
    for (;;) {
      uint32_t field, type;
      if (!tag(&field, &type)) return false;
      if (type == 4) return field == start_field;  // end group: protobuf refuses a mismatch
      if (!skip(type, depth + 1)) return false;
    }
  }

  const uint8_t* p_;
  const uint8_t* end_;
  uint32_t last_field_ = 0;  // of the last key read, for skipping a group
};

}  // namespace strata::prompb
