// The bit layout follows Prometheus' chunks.md: after the 2-byte count, sample 0 is a varint
// timestamp and 64 raw value bits, sample 1 a uvarint time delta and an XOR value, every
// later sample a delta-of-delta in one of the buckets 0 / 14 / 17 / 20 / 64 bits and an
// XOR value. Bits are written most significant first.
#include "tsdb/chunkenc/xor_chunk.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace strata::tsdb {
namespace {

uint64_t bitsOf(double v) { return std::bit_cast<uint64_t>(v); }

// Whether x fits the n-bit delta-of-delta bucket. The range is asymmetric,
// [-(2^(n-1) - 1), 2^(n-1)], exactly as Prometheus' bitRange, because its decoder maps a raw
// value > 2^(n-1) to a negative number.
bool fitsBits(int64_t x, int n) {
  return -((int64_t(1) << (n - 1)) - 1) <= x && x <= (int64_t(1) << (n - 1));
}

}  // namespace

XorAppender::XorAppender() { buf_.assign(2, 0); }

// Mirrors Prometheus' bstream byte for byte: whole bytes go through a byte write that always
// appends the following byte (holding the spilled low bits, or nothing when aligned), so a
// stream that ends byte-aligned after a byte write carries one empty trailing byte, exactly as
// Prometheus' chunks do. The remaining < 8 bits fill the last byte, appending when it is full.
void XorAppender::writeBits(uint64_t v, int n) {
  // Byte-identical to Prometheus' bstream: a whole byte is split over the last byte and a new
  // one (which stays the last, even with all 8 bits free); the rest fills the free bits and
  // then starts a new byte. Written as runs, not bit by bit: this is the hot path of appends.
  if (n <= 0) return;
  if (n < 64) v &= (uint64_t(1) << n) - 1;
  if (free_bits_ == 0) {
    buf_.push_back(0);
    free_bits_ = 8;
  }
  while (n >= 8) {
    n -= 8;
    auto byte = uint8_t(v >> n);
    buf_.back() |= uint8_t(byte >> (8 - free_bits_));
    buf_.push_back(uint8_t(unsigned(byte) << free_bits_));
  }
  if (n == 0) return;
  int k = n < free_bits_ ? n : free_bits_;
  buf_.back() |= uint8_t(((v >> (n - k)) & ((uint64_t(1) << k) - 1)) << (free_bits_ - k));
  free_bits_ = uint8_t(free_bits_ - k);
  n -= k;
  if (n > 0) {
    buf_.push_back(uint8_t((v & ((uint64_t(1) << n) - 1)) << (8 - n)));
    free_bits_ = uint8_t(8 - n);
  }
}

void XorAppender::writeValue(double v) {
  uint64_t delta = bitsOf(v) ^ bitsOf(v_);
  if (delta == 0) {
    writeBits(0, 1);
    return;
  }
  uint8_t leading = uint8_t(std::countl_zero(delta));
  uint8_t trailing = uint8_t(std::countr_zero(delta));
  if (leading >= 32) leading = 31;  // the header stores leading zeros in 5 bits
  if (leading_ != 0xff && leading >= leading_ && trailing >= trailing_) {
    // The significant bits fit the previous window: control bits "10" and the bits only.
    writeBits(0b10, 2);
    writeBits(delta >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = leading;
  trailing_ = trailing;
  int sig = 64 - leading - trailing;
  // Control "11", 5 bits leading, 6 bits significant count (64 is stored as 0).
  writeBits(0b11, 2);
  writeBits(leading, 5);
  writeBits(uint64_t(sig) & 0x3f, 6);
  writeBits(delta >> trailing, sig);
}

void XorAppender::append(int64_t t, double v) {
  if (full()) return;
  // A sample takes at most 30 bytes (the first: a 10-byte varint and 8 value bytes; later ones
  // up to 68 + 77 bits). Grow by a quarter instead of doubling: head chunks are many and
  // small, and doubling leaves a third of their memory unused on average.
  if (buf_.capacity() - buf_.size() < 30)
    buf_.reserve(buf_.size() + std::max<size_t>(64, buf_.size() / 4));
  if (num_ == 0) {
    uint64_t zz = (uint64_t(t) << 1) ^ uint64_t(t >> 63);
    while (zz >= 0x80) {
      writeBits((zz & 0x7f) | 0x80, 8);
      zz >>= 7;
    }
    writeBits(zz, 8);
    writeBits(bitsOf(v), 64);
    min_t_ = t;
    t_delta_ = 0;
  } else if (num_ == 1) {
    uint64_t d = uint64_t(t - t_);
    while (d >= 0x80) {
      writeBits((d & 0x7f) | 0x80, 8);
      d >>= 7;
    }
    writeBits(d, 8);
    writeValue(v);
    t_delta_ = t - t_;
  } else {
    int64_t delta = int64_t(uint64_t(t) - uint64_t(t_));
    int64_t dod = int64_t(uint64_t(delta) - uint64_t(t_delta_));
    if (dod == 0) {
      writeBits(0, 1);
    } else if (fitsBits(dod, 14)) {
      writeBits(0b10, 2);
      writeBits(uint64_t(dod), 14);
    } else if (fitsBits(dod, 17)) {
      writeBits(0b110, 3);
      writeBits(uint64_t(dod), 17);
    } else if (fitsBits(dod, 20)) {
      writeBits(0b1110, 4);
      writeBits(uint64_t(dod), 20);
    } else {
      writeBits(0b1111, 4);
      writeBits(uint64_t(dod), 64);
    }
    writeValue(v);
    t_delta_ = delta;
  }
  t_ = t;
  v_ = v;
  max_t_ = t;
  ++num_;
  buf_[0] = uint8_t(num_ >> 8);
  buf_[1] = uint8_t(num_);
}

XorIterator::XorIterator(const uint8_t* data, size_t len) : data_(data), len_(len) {
  if (len < 2) {
    err_ = len != 0;  // an empty buffer is an empty chunk, a 1-byte one is corrupt
    return;
  }
  total_ = uint16_t(data[0] << 8 | data[1]);
}

bool XorIterator::readBitsSlow(int n, uint64_t* out) {
  if (n <= 0 || pos_bits_ + size_t(n) > len_ * 8) {
    if (n == 0) *out = 0;
    err_ = n != 0;
    return n == 0;
  }
  // Within 9 bytes of the end of the chunk: byte by byte.
  size_t byte = pos_bits_ >> 3;
  int off = int(pos_bits_ & 7);
  pos_bits_ += size_t(n);
  uint64_t v = 0;
  while (n > 0) {
    int avail = 8 - off;
    int k = n < avail ? n : avail;
    uint8_t bits = uint8_t(data_[byte] << off) >> (8 - k);
    v = (v << k) | bits;
    n -= k;
    ++byte;
    off = 0;
  }
  *out = v;
  return true;
}

bool XorIterator::readValue() {
  uint64_t bit;
  if (!readBits(1, &bit)) return false;
  if (bit == 1) {
    if (!readBits(1, &bit)) return false;
    if (bit == 1) {
      uint64_t lead, sig;
      if (!readBits(5, &lead) || !readBits(6, &sig)) return false;
      if (sig == 0) sig = 64;
      if (lead + sig > 64) {
        err_ = true;
        return false;
      }
      leading_ = uint8_t(lead);
      trailing_ = uint8_t(64 - lead - sig);
    }
    int mbits = 64 - leading_ - trailing_;
    uint64_t x;
    if (!readBits(mbits, &x)) return false;
    v_ = std::bit_cast<double>(bitsOf(v_) ^ (x << trailing_));
  }
  ++read_;
  return true;
}

// A sample from the third on, while at least 32 bytes are left (a sample takes at most 145
// bits): the prefixes are read from one peeked word each instead of bit by bit.
bool XorIterator::nextFast() {
  static constexpr int kSizes[5] = {0, 14, 17, 20, 64};
  uint64_t w = peek(pos_bits_);
  if (!(w >> 63)) {
    // A delta of delta of 0 (a steady scrape interval): one bit, and the value's control
    // bits (at most 13) are already in the rest of this word.
    ++pos_bits_;
    w <<= 1;
  } else {
    int ones = std::min(std::countl_one(w), 4);
    size_t used = size_t(ones) + (ones < 4 ? 1 : 0);
    int sz = kSizes[ones];
    uint64_t raw = peek(pos_bits_ + used) >> (64 - sz);
    used += size_t(sz);
    // Values above 2^(sz-1) are negative numbers in sz-bit two's complement.
    if (sz != 64 && raw > (uint64_t(1) << (sz - 1))) raw -= uint64_t(1) << sz;
    t_delta_ = int64_t(uint64_t(t_delta_) + raw);
    pos_bits_ += used;
    w = peek(pos_bits_);
  }
  t_ = int64_t(uint64_t(t_) + uint64_t(t_delta_));
  if (!(w >> 63)) {
    ++pos_bits_;  // the same value
  } else {
    if (!((w >> 62) & 1)) {
      pos_bits_ += 2;  // the previous window of meaningful bits
    } else {
      unsigned lead = unsigned(w >> 57) & 31, sig = unsigned(w >> 51) & 63;
      if (sig == 0) sig = 64;
      if (lead + sig > 64) {
        err_ = true;
        return false;
      }
      leading_ = uint8_t(lead);
      trailing_ = uint8_t(64 - lead - sig);
      pos_bits_ += 13;
    }
    int mbits = 64 - leading_ - trailing_;
    uint64_t x = peek(pos_bits_) >> (64 - mbits);
    pos_bits_ += size_t(mbits);
    v_ = std::bit_cast<double>(bitsOf(v_) ^ (x << trailing_));
  }
  ++read_;
  return true;
}

void XorIterator::moveToTail() {
  size_t byte = pos_bits_ >> 3;
  size_t n = len_ - byte;  // < kFastMargin
  std::memset(tail_, 0, sizeof tail_);
  std::memcpy(tail_, data_ + byte, n);
  data_ = tail_;
  len_ = n;
  pos_bits_ -= byte * 8;
  in_tail_ = true;
}

bool XorIterator::next() {
  if (err_ || read_ >= total_) return false;
  if (read_ >= 2) {
    if ((pos_bits_ >> 3) + kFastMargin <= len_) return nextFast();
    if (!in_tail_) moveToTail();
    if (!nextFast()) return false;
    if (pos_bits_ > len_ * 8) {  // the sample ran into the padding: the chunk is cut short
      err_ = true;
      return false;
    }
    return true;
  }
  // The first two samples: byte-aligned varints and a raw value.
  // Go's (u)varint, byte aligned here, read 8 bits at a time.
  uint64_t u = 0, byte;
  int shift = 0;
  for (;;) {
    if (shift > 63 || !readBits(8, &byte)) {
      err_ = true;
      return false;
    }
    u |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
    shift += 7;
  }
  if (read_ == 0) {
    t_ = int64_t(u >> 1) ^ -int64_t(u & 1);
    uint64_t vb;
    if (!readBits(64, &vb)) return false;
    v_ = std::bit_cast<double>(vb);
    ++read_;
    return true;
  }
  t_delta_ = int64_t(u);
  t_ = int64_t(uint64_t(t_) + u);
  return readValue();
}

}  // namespace strata::tsdb
