// Snappy block decompression of untrusted request bodies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace strata::prompb {

enum class SnappyResult { kOk, kCorrupt, kTooLarge };

// Decompresses `in` into `out` only if its declared length is at most `cap`. The length is
// read from the snappy header BEFORE anything is allocated: snappy::Uncompress trusts that
// header and would allocate whatever a hostile body claims. On failure `error` says why.
SnappyResult uncompressBounded(std::string_view in, size_t cap, std::string* out,
                               std::string* error);

// Snappy block compression (what remote write requires; not the framed format).
std::string compress(std::string_view raw);

}  // namespace strata::prompb
