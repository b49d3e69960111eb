#include "prompb/snappy_body.h"

#include <snappy.h>

namespace strata::prompb {

SnappyResult uncompressBounded(std::string_view in, size_t cap, std::string* out,
                               std::string* error) {
  size_t declared = 0;
  if (!snappy::GetUncompressedLength(in.data(), in.size(), &declared)) {
    *error = "body is not snappy block-compressed (bad length header)";
    return SnappyResult::kCorrupt;
  }
  if (declared > cap) {
    *error = "decompressed body would be " + std::to_string(declared) +
             " bytes, over the limit of " + std::to_string(cap) + " bytes";
    return SnappyResult::kTooLarge;
  }
  // Validate before resizing so a corrupt body costs no allocation of `declared` bytes.
  if (!snappy::IsValidCompressedBuffer(in.data(), in.size())) {
    *error = "body is not valid snappy block-compressed data";
    return SnappyResult::kCorrupt;
  }
  out->clear();
  if (!snappy::Uncompress(in.data(), in.size(), out) || out->size() != declared) {
    *error = "snappy decompression failed";
    return SnappyResult::kCorrupt;
  }
  return SnappyResult::kOk;
}

std::string compress(std::string_view raw) {
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

}  // namespace strata::prompb
