#include "tsdb/block/ulid.h"

#include <random>
#include <string>

namespace strata::tsdb {

std::string newUlid(int64_t now_ms) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  thread_local std::mt19937_64 rng{std::random_device{}() ^
                                   (uint64_t(std::random_device{}()) << 32)};
  // 128 bits as hi:lo; 26 characters of 5 bits = 130 bits, the top 2 are zero.
  uint64_t hi = (uint64_t(now_ms) & 0xFFFFFFFFFFFFull) << 16;
  uint64_t r1 = rng(), r2 = rng();
  hi |= r1 & 0xFFFF;
  uint64_t lo = r2;
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[size_t(i)] = kAlphabet[lo & 31];
    lo = (lo >> 5) | (hi << 59);
    hi >>= 5;
  }
  return out;
}

}  // namespace strata::tsdb
