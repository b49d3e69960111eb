#include "prompb/write_request_decoder.h"

#include <string>
#include <utility>

#include "prompb/series_check.h"
#include "prompb/write_request_view.h"

namespace strata::prompb {

bool decodeWriteRequest(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                        DecodeStats* stats, DecodeError* error) {
  *stats = {};
  std::string raw;
  if (!uncompressRequest(body, limits, &raw, error)) return false;
  // The batch keeps the decompressed body: its labels are views into it.
  std::string_view kept = out.keep(std::move(raw));
  // Per thread and reused: after the first requests, parsing allocates nothing.
  thread_local ParsedWriteRequest request;
  if (!parseWriteRequest(kept, &request))
    return decodeFailure(error, "protobuf",
                         "body is not a valid prometheus.WriteRequest protobuf message");
  stats->series = request.series.size();
  stats->samples = request.timestamps.size();
  stats->exemplars = request.exemplars;
  stats->histograms = request.histograms;
  if (limits.max_series && stats->series > limits.max_series)
    return decodeFailure(error, "too_many_series",
                         std::to_string(stats->series) +
                             " series in one request, over the limit of " +
                             std::to_string(limits.max_series));
  for (size_t i = 0; i < request.series.size(); ++i) {
    const auto& s = request.series[i];
    std::span<const LabelView> labels(request.labels.data() + s.label_begin, s.label_count);
    if (!checkSeriesLabels(labels, static_cast<int>(i), limits, error)) return false;
  }
  // Only after every check passed, so a refused request never half-fills `out`.
  out.reserve(request.series.size(), request.labels.size(), request.timestamps.size());
  for (const auto& s : request.series) {
    if (s.sample_count == 0) continue;
    out.beginSeriesViews(request.labels.data() + s.label_begin, s.label_count);
    out.addSamples(request.timestamps.data() + s.sample_begin,
                   request.values.data() + s.sample_begin, s.sample_count);
  }
  // Prometheus sends metadata in requests of their own, every metadata send_interval.
  for (const auto& m : request.metadata) {
    if (m.family.empty()) continue;
    out.addMetadata(m.family, m.type, m.help, m.unit);
    ++stats->metadata;
  }
  return true;
}

}  // namespace strata::prompb
