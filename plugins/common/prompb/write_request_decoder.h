// Remote write 1.0 body -> SDK batch, with the strict checks a receiver needs before any
// sample reaches a pipeline. A request is accepted or refused as a whole, so a sender never
// has to guess which part of a 4xx request was stored.
#pragma once

#include <cstddef>
#include <strata/sdk.hpp>
#include <string>
#include <string_view>

namespace strata::prompb {

struct DecodeLimits {
  size_t max_uncompressed_bytes = 32u << 20;
  size_t max_series = 0;       // per request; 0 = unlimited
  size_t max_label_count = 0;  // per series; 0 = unlimited
  size_t max_label_name_length = 0;
  size_t max_label_value_length = 0;
};

struct DecodeError {
  // Short, stable, for a metric label: snappy, too_large, protobuf, too_many_series,
  // too_many_labels, missing_metric_name, invalid_label_name, duplicate_label,
  // invalid_utf8, label_name_too_long, label_value_too_long.
  std::string reason;
  std::string message;  // for the 400 body; names the series index where there is one
};

struct DecodeStats {
  size_t series = 0;      // series in the request
  size_t samples = 0;     // float samples in the request (known once it parsed)
  size_t exemplars = 0;   // present but not carried by the batch
  size_t histograms = 0;  // native histogram samples: present but not carried by the batch
  size_t metadata = 0;    // metric family metadata entries, carried by the batch
};

// Decompresses (bounded), parses and checks `body`, adding every series that has samples and
// every MetricMetadata with a family name to `out`. On failure returns false, fills `error`, and
// `out` must be discarded.
bool decodeWriteRequest(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                        DecodeStats* stats, DecodeError* error);

}  // namespace strata::prompb
