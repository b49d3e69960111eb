#include "prompb/write_request_decoder.h"

#include <utility>
#include <vector>

#include "prompb/series_check.h"
#include "proto/remote.pb.h"

namespace strata::prompb {
namespace {

bool fail(DecodeError* error, std::string reason, std::string message) {
  return decodeFailure(error, std::move(reason), std::move(message));
}

bool checkLabels(const prometheus::TimeSeries& ts, int index, const DecodeLimits& limits,
                 DecodeError* error) {
  LabelViews labels;
  labels.reserve(ts.labels_size());
  for (const auto& l : ts.labels()) labels.emplace_back(l.name(), l.value());
  return checkSeriesLabels(labels, index, limits, error);
}

}  // namespace

bool writeRequestToBatch(const prometheus::WriteRequest& request, const DecodeLimits& limits,
                         sdk::BatchBuilder& out, DecodeStats* stats, DecodeError* error) {
  *stats = {};
  stats->series = request.timeseries_size();
  for (const auto& ts : request.timeseries()) {
    stats->samples += ts.samples_size();
    stats->exemplars += ts.exemplars_size();
    stats->histograms += ts.histograms_size();
  }
  if (limits.max_series && stats->series > limits.max_series)
    return fail(error, "too_many_series",
                std::to_string(stats->series) + " series in one request, over the limit of " +
                    std::to_string(limits.max_series));
  for (int i = 0; i < request.timeseries_size(); ++i)
    if (!checkLabels(request.timeseries(i), i, limits, error)) return false;
  // Only after every check passed, so a refused request never half-fills `out`.
  for (const auto& ts : request.timeseries()) {
    if (ts.samples_size() == 0) continue;
    std::vector<std::pair<std::string, std::string>> labels;
    labels.reserve(ts.labels_size());
    for (const auto& l : ts.labels()) labels.emplace_back(l.name(), l.value());
    out.beginSeries(std::move(labels));
    for (const auto& s : ts.samples()) out.addSample(s.timestamp(), s.value());
  }
  return true;
}

bool decodeWriteRequest(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                        DecodeStats* stats, DecodeError* error) {
  *stats = {};
  std::string raw;
  if (!uncompressRequest(body, limits, &raw, error)) return false;
  prometheus::WriteRequest request;
  if (!request.ParseFromString(raw))
    return fail(error, "protobuf", "body is not a valid prometheus.WriteRequest protobuf message");
  return writeRequestToBatch(request, limits, out, stats, error);
}

}  // namespace strata::prompb
