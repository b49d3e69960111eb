// A remote write 1.0 request (prometheus.WriteRequest) parsed without copies: label names and
// values are views into the decompressed body, samples flat arrays. Decoding this way instead
// of through protobuf's generated classes saves every per-label and per-sample allocation,
// which is most of the cost of a request (docs/benchmarks.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::prompb {

using LabelView = std::pair<std::string_view, std::string_view>;

struct ParsedWriteRequest {
  struct Series {
    uint32_t label_begin = 0, label_count = 0;    // into labels
    uint32_t sample_begin = 0, sample_count = 0;  // into timestamps / values
  };
  std::vector<Series> series;
  std::vector<LabelView> labels;
  std::vector<int64_t> timestamps;
  std::vector<double> values;
  size_t exemplars = 0;   // present but not carried by batches
  size_t histograms = 0;  // native histogram samples: likewise
  struct Metadata {       // one MetricMetadata, views into the body
    uint32_t type = 0;    // MetricMetadata.MetricType (= strata_metric_family_type)
    std::string_view family, help, unit;
  };
  std::vector<Metadata> metadata;

  void clear();
};

// Parses `raw` (already decompressed) as a prometheus.WriteRequest into `out`, whose views
// point into `raw`. Unknown fields are skipped as protobuf does; false when `raw` is not valid
// wire format for the message (truncated, bad lengths or keys).
bool parseWriteRequest(std::string_view raw, ParsedWriteRequest* out);

}  // namespace strata::prompb
