// The checks every remote write version applies to one series' labels before any sample
// reaches a pipeline. Labels arrive as views (1.0 carries strings, 2.0 symbol references).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prompb/write_request_decoder.h"

namespace strata::prompb {

using LabelViews = std::vector<std::pair<std::string_view, std::string_view>>;
using LabelViewSpan = std::span<const std::pair<std::string_view, std::string_view>>;

// Limits, name syntax, duplicates, UTF-8 and __name__; an empty value counts as absent, as in
// Prometheus. Allocates nothing unless the names are out of order and many. `index` is the series'
// position in the request, for the message.
bool checkSeriesLabels(LabelViewSpan labels, int index, const DecodeLimits& limits,
                       DecodeError* error);

// Snappy-decompresses a request body within limits.max_uncompressed_bytes (checked before any
// allocation); reasons "too_large" and "snappy".
bool uncompressRequest(std::string_view body, const DecodeLimits& limits, std::string* raw,
                       DecodeError* error);

// Fills `error` and returns false (for early returns).
bool decodeFailure(DecodeError* error, std::string reason, std::string message);

}  // namespace strata::prompb
