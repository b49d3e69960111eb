#include <openssl/evp.h>

#include <cstdint>
#include <string_view>

namespace strata::relabel {

// Prometheus' hashmod: md5 of the joined value, folded by sum64(), modulo N. sum64 shifts byte
// i left by (15-i)*8 bits in a uint64; Go yields 0 for shifts >= 64, so only the LAST eight
// bytes count, read big-endian (relabel_test.go: "baz" mod 1000 = 976).
uint64_t hashMod(std::string_view value, uint64_t modulus) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(value.data(), value.size(), digest, &len, EVP_md5(), nullptr);
  uint64_t s = 0;
  for (unsigned int i = 8; i < 16 && i < len; ++i) s = (s << 8) | digest[i];
  return modulus ? s % modulus : 0;
}

}  // namespace strata::relabel
