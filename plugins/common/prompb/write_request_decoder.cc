#include "prompb/write_request_decoder.h"

#include <set>
#include <utility>
#include <vector>

#include "prompb/label_check.h"
#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"

namespace strata::prompb {
namespace {

bool fail(DecodeError* error, std::string reason, std::string message) {
  error->reason = std::move(reason);
  error->message = std::move(message);
  return false;
}

std::string where(int index) { return "series " + std::to_string(index) + ": "; }

// Checks one series' labels; an empty value counts as absent, as in Prometheus.
bool checkLabels(const prometheus::TimeSeries& ts, int index, const DecodeLimits& limits,
                 DecodeError* error) {
  if (limits.max_label_count && static_cast<size_t>(ts.labels_size()) > limits.max_label_count)
    return fail(error, "too_many_labels",
                where(index) + std::to_string(ts.labels_size()) + " labels, over the limit of " +
                    std::to_string(limits.max_label_count));
  std::set<std::string_view> seen;
  bool has_name = false;
  for (const auto& l : ts.labels()) {
    const std::string& n = l.name();
    const std::string& v = l.value();
    if (limits.max_label_name_length && n.size() > limits.max_label_name_length)
      return fail(error, "label_name_too_long",
                  where(index) + "label name of " + std::to_string(n.size()) +
                      " bytes, over the limit of " + std::to_string(limits.max_label_name_length));
    if (!validLabelName(n))
      return fail(error, "invalid_label_name",
                  where(index) + "invalid label name \"" + (validUtf8(n) ? n : "<non-UTF-8>") +
                      "\" (must match [a-zA-Z_][a-zA-Z0-9_]*)");
    if (!seen.insert(n).second)
      return fail(error, "duplicate_label", where(index) + "duplicate label name \"" + n + "\"");
    if (limits.max_label_value_length && v.size() > limits.max_label_value_length)
      return fail(error, "label_value_too_long",
                  where(index) + "value of label \"" + n + "\" is " + std::to_string(v.size()) +
                      " bytes, over the limit of " + std::to_string(limits.max_label_value_length));
    if (!validUtf8(v))
      return fail(error, "invalid_utf8",
                  where(index) + "value of label \"" + n + "\" is not valid UTF-8");
    if (n == "__name__" && !v.empty()) has_name = true;
  }
  if (!has_name) return fail(error, "missing_metric_name", where(index) + "no __name__ label");
  return true;
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
  std::string raw, why;
  switch (uncompressBounded(body, limits.max_uncompressed_bytes, &raw, &why)) {
    case SnappyResult::kOk:
      break;
    case SnappyResult::kTooLarge:
      return fail(error, "too_large", why);
    case SnappyResult::kCorrupt:
      return fail(error, "snappy", why);
  }
  prometheus::WriteRequest request;
  if (!request.ParseFromString(raw))
    return fail(error, "protobuf", "body is not a valid prometheus.WriteRequest protobuf message");
  return writeRequestToBatch(request, limits, out, stats, error);
}

}  // namespace strata::prompb
