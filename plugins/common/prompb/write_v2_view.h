// A remote write 2.0 request (io.prometheus.write.v2.Request) parsed without copies: symbols
// are views into the decompressed body, label references and samples flat arrays. The 2.0
// counterpart of write_request_view.h, for the same reason: decoding through protobuf's
// generated classes allocates per symbol, series and sample, most of a request's cost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace strata::prompb {

struct ParsedWriteV2Request {
  struct Series {
    uint32_t ref_begin = 0, ref_count = 0;        // into label_refs (name, value, name, ...)
    uint32_t sample_begin = 0, sample_count = 0;  // into timestamps / values
    bool has_metadata = false;                    // the metadata field was present
    uint32_t type = 0;                            // Metadata.MetricType (open enum: any value)
    uint32_t help_ref = 0, unit_ref = 0;          // unchecked indexes into symbols
  };
  std::vector<std::string_view> symbols;
  std::vector<Series> series;
  std::vector<uint32_t> label_refs;  // unchecked: the decoder validates them against symbols
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  size_t exemplars = 0;   // present but not carried by batches
  size_t histograms = 0;  // native histogram samples: likewise
  size_t v1_fields = 0;   // fields 1-3 (1.0's timeseries, -, metadata): never sent by 2.0

  void clear();
};

// Parses `raw` (already decompressed) as an io.prometheus.write.v2.Request into `out`, whose
// views point into `raw`. Accepts exactly what protobuf's generated parser accepts: unknown
// fields are skipped, repeated scalars packed or not, a repeated singular message merged;
// false when `raw` is not valid wire format for the message.
bool parseWriteV2Request(std::string_view raw, ParsedWriteV2Request* out);

}  // namespace strata::prompb
