// Prometheus' XOR (Gorilla) chunk encoding, bit-compatible with prometheus/tsdb/chunkenc:
// a 2-byte big-endian sample count, then delta-of-delta timestamps and XORed values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace strata::tsdb {

inline constexpr uint8_t kEncXor = 1;  // chunk encoding byte in chunk files

class XorAppender {
 public:
  XorAppender();
  void append(int64_t t_ms, double v);
  size_t numSamples() const { return num_; }
  int64_t minTime() const { return min_t_; }
  int64_t maxTime() const { return max_t_; }
  // The chunk data (sample count header included), without the encoding byte.
  const std::vector<uint8_t>& bytes() const { return buf_; }
  size_t sizeBytes() const { return buf_.size(); }

 private:
  // Implementation detail, free to change.
  std::vector<uint8_t> buf_;
  uint8_t bit_count_ = 0;  // bits used in the last byte
  size_t num_ = 0;
  int64_t min_t_ = 0, max_t_ = 0, t_ = 0, t_delta_ = 0;
  double v_ = 0;
  uint8_t leading_ = 0xff, trailing_ = 0;
};

class XorIterator {
 public:
  XorIterator(const uint8_t* data, size_t len);
  // Advances; false at the end or on corrupt data (then error() is true).
  bool next();
  int64_t t() const { return t_; }
  double v() const { return v_; }
  bool error() const { return err_; }

 private:
  const uint8_t* data_;
  size_t len_, pos_bits_ = 16;
  uint16_t total_ = 0, read_ = 0;
  int64_t t_ = 0, t_delta_ = 0;
  double v_ = 0;
  uint8_t leading_ = 0, trailing_ = 0;
  bool err_ = false;
};

}  // namespace strata::tsdb
