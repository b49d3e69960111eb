// Prometheus' XOR (Gorilla) chunk encoding, bit-compatible with prometheus/tsdb/chunkenc:
// a 2-byte big-endian sample count, then delta-of-delta timestamps and XORed values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace strata::tsdb {

inline constexpr uint8_t kEncXor = 1;  // chunk encoding byte in chunk files

class XorAppender {
 public:
  XorAppender();
  // Amortised O(1). A chunk holds at most 65535 samples (16-bit count); callers cut chunks
  // long before that (Prometheus cuts at ~120), appends beyond it are ignored.
  void append(int64_t t_ms, double v);
  bool full() const { return num_ >= 0xffff; }
  // Reserves capacity for n bytes (e.g. the size of the series' previous chunk), so a head
  // chunk grows without reallocations and without much slack.
  void reserveBytes(size_t n) { buf_.reserve(n); }
  size_t numSamples() const { return num_; }
  int64_t minTime() const { return min_t_; }
  int64_t maxTime() const { return max_t_; }
  // The chunk data (sample count header included), without the encoding byte.
  const std::vector<uint8_t>& bytes() const { return buf_; }
  size_t sizeBytes() const { return buf_.size(); }
  size_t capacityBytes() const { return buf_.capacity(); }

 private:
  // Implementation detail, free to change.
  void writeBits(uint64_t v, int n);
  void writeValue(double v);

  std::vector<uint8_t> buf_;
  uint8_t free_bits_ = 0;  // unused low bits of the last byte of buf_
  size_t num_ = 0;
  int64_t min_t_ = 0, max_t_ = 0, t_ = 0, t_delta_ = 0;
  double v_ = 0;
  uint8_t leading_ = 0xff, trailing_ = 0;
};

class XorIterator {
 public:
  XorIterator(const uint8_t* data, size_t len);
  // Not copyable: near the end of a chunk it reads from its own padded copy of the tail.
  XorIterator(const XorIterator&) = delete;
  XorIterator& operator=(const XorIterator&) = delete;
  // The sample count from the chunk header (0 if the data is too short).
  uint16_t numSamples() const { return total_; }
  // Advances; false at the end or on corrupt data (then error() is true).
  bool next();
  int64_t t() const { return t_; }
  double v() const { return v_; }
  bool error() const { return err_; }

 private:
  // Reads n (0..64) bits, most significant first; false (and error()) past the end. The
  // common case, a whole 64-bit word available, is inline: decoding is bound by it.
  bool readBits(int n, uint64_t* out) {
    size_t byte = pos_bits_ >> 3;
    if (n <= 0 || byte + 9 > len_) return readBitsSlow(n, out);
    int off = int(pos_bits_ & 7);
    pos_bits_ += size_t(n);
    uint64_t w;
    std::memcpy(&w, data_ + byte, 8);
    // One big-endian word holds the next 64 - off bits; a 9th byte supplies the rest when a
    // field straddles it (only fields over 56 bits can).
    w = __builtin_bswap64(w) << off;
    if (n > 64 - off) w |= uint64_t(data_[byte + 8]) >> (8 - off);
    *out = w >> (64 - n);
    return true;
  }
  bool readBitsSlow(int n, uint64_t* out);
  // The 64 bits at bit position p, most significant first; needs p / 8 + 9 <= len_.
  uint64_t peek(size_t p) const {
    size_t byte = p >> 3;
    int off = int(p & 7);
    uint64_t w;
    std::memcpy(&w, data_ + byte, 8);
    w = __builtin_bswap64(w) << off;
    if (off) w |= uint64_t(data_[byte + 8]) >> (8 - off);
    return w;
  }
  bool nextFast();
  bool readValue();
  // Continues from a zero-padded copy of the chunk's last bytes, so that nextFast (which
  // reads whole words ahead) runs to the end; bits past the real end mean a corrupt chunk.
  void moveToTail();

  static constexpr size_t kFastMargin = 32;  // nextFast reads less than this past a sample
  const uint8_t* data_;
  size_t len_, pos_bits_ = 16;
  uint16_t total_ = 0, read_ = 0;
  int64_t t_ = 0, t_delta_ = 0;
  double v_ = 0;
  uint8_t leading_ = 0, trailing_ = 0;
  bool err_ = false;
  bool in_tail_ = false;
  uint8_t tail_[2 * kFastMargin];
};

}  // namespace strata::tsdb
