#include "prompb/label_check.h"

#include <array>
#include <cstdint>
#include <cstring>

namespace strata::prompb {

namespace {

// Bit 1: may start a label name ([a-zA-Z_]); bit 2: may follow ([a-zA-Z0-9_]). A table, as
// every label of every series of every request goes through here.
constexpr std::array<uint8_t, 256> kNameChars = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    t[c] = uint8_t((alpha ? 1 : 0) | (alpha || digit ? 2 : 0));
  }
  return t;
}();

}  // namespace

bool validLabelName(std::string_view name) {
  if (name.empty() || !(kNameChars[static_cast<unsigned char>(name[0])] & 1)) return false;
  for (size_t i = 1; i < name.size(); ++i)
    if (!(kNameChars[static_cast<unsigned char>(name[i])] & 2)) return false;
  return true;
}

bool validUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  // Label values are almost always ASCII: skip 8 bytes at a time while no high bit is set.
  for (uint64_t w; i + 8 <= n; i += 8) {
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;  // stray continuation byte or 0xf8..0xff
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    static constexpr uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

}  // namespace strata::prompb
