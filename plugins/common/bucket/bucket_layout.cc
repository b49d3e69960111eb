#include "bucket/bucket_layout.h"

#include <cstdio>
#include <stdexcept>

namespace strata::bucket {

std::string blockMetaName(std::string_view ulid) { return std::string(ulid) + "/meta.json"; }
std::string blockIndexName(std::string_view ulid) { return std::string(ulid) + "/index"; }
std::string blockChunksPrefix(std::string_view ulid) { return std::string(ulid) + "/chunks/"; }

std::string blockChunkName(std::string_view ulid, int n) {
  if (n < 1 || n > 999999) throw std::invalid_argument("chunk segment number out of range");
  char seq[8];
  std::snprintf(seq, sizeof seq, "%06d", n);
  return blockChunksPrefix(ulid) + seq;
}

std::string blockDeletionMarkName(std::string_view ulid) {
  return std::string(ulid) + "/deletion-mark.json";
}
std::string blockNoCompactMarkName(std::string_view ulid) {
  return std::string(ulid) + "/no-compact-mark.json";
}

bool isUlid(std::string_view s) {
  if (s.size() != 26) return false;
  if (s[0] < '0' || s[0] > '7') return false;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    bool digit = c >= '0' && c <= '9';
    bool letter = c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U';
    if (!digit && !letter) return false;
  }
  return true;
}

std::optional<std::string> blockUlidOfEntry(std::string_view entry) {
  if (entry.size() != 27 || entry.back() != '/') return std::nullopt;
  std::string_view id = entry.substr(0, 26);
  if (!isUlid(id)) return std::nullopt;
  return std::string(id);
}

}  // namespace strata::bucket
