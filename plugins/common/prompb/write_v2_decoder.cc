// decodeWriteV2Request (write_v2_codec.h): the receiver's 2.0 path, over the zero-copy parse
// of write_v2_view.h. The batch keeps the decompressed body; labels are views into it.
#include <algorithm>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "prompb/series_check.h"
#include "prompb/write_request_view.h"
#include "prompb/write_v2_codec.h"
#include "prompb/write_v2_view.h"

namespace strata::prompb {
namespace {

using Series = ParsedWriteV2Request::Series;

std::string where(size_t index) { return "series " + std::to_string(index) + ": "; }

// Resolves a series' label references, appending to `out`; false (with `error`) on a malformed
// reference list.
bool resolveLabels(const ParsedWriteV2Request& rq, const Series& s, size_t index,
                   std::vector<LabelView>* out, DecodeError* error) {
  if (s.ref_count % 2 != 0)
    return decodeFailure(error, "bad_symbol_ref",
                         where(index) + "labels_refs has an odd number of entries");
  const uint32_t* refs = rq.label_refs.data() + s.ref_begin;
  const size_t symbols = rq.symbols.size();
  for (uint32_t i = 0; i < s.ref_count; i += 2) {
    uint32_t n = refs[i], v = refs[i + 1];
    if (n >= symbols || v >= symbols)
      return decodeFailure(error, "bad_symbol_ref",
                           where(index) + "label reference " + std::to_string(std::max(n, v)) +
                               " is outside the " + std::to_string(symbols) + " symbols");
    out->emplace_back(rq.symbols[n], rq.symbols[v]);
  }
  return true;
}

// A series' metadata references, checked like its labels.
bool checkMetadataRefs(const ParsedWriteV2Request& rq, const Series& s, size_t index,
                       DecodeError* error) {
  if (!s.has_metadata) return true;
  uint32_t worst = std::max(s.help_ref, s.unit_ref);
  if (worst < rq.symbols.size()) return true;
  return decodeFailure(error, "bad_symbol_ref",
                       where(index) + "metadata reference " + std::to_string(worst) +
                           " is outside the " + std::to_string(rq.symbols.size()) + " symbols");
}

std::string_view metricName(LabelViewSpan labels) {
  for (const auto& [n, v] : labels)
    if (n == "__name__") return v;
  return {};
}

// The family a series of a histogram or summary belongs to: its name without the sample
// suffix (rpc_seconds_bucket -> rpc_seconds), as the family is named in a scrape.
std::string_view familyOf(std::string_view name, uint32_t type) {
  static constexpr std::string_view kHistogram[] = {"_bucket", "_sum", "_count", "_gsum",
                                                    "_gcount"};
  bool histogram = type == STRATA_FAMILY_HISTOGRAM || type == STRATA_FAMILY_GAUGEHISTOGRAM;
  if (!histogram && type != STRATA_FAMILY_SUMMARY) return name;
  for (std::string_view suffix : kHistogram) {
    if (!histogram && suffix != "_sum" && suffix != "_count") continue;
    if (name.size() > suffix.size() && name.ends_with(suffix))
      return name.substr(0, name.size() - suffix.size());
  }
  return name;
}

}  // namespace

bool decodeWriteV2Request(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                          DecodeStats* stats, DecodeError* error) {
  *stats = {};
  std::string raw;
  if (!uncompressRequest(body, limits, &raw, error)) return false;
  std::string_view kept = out.keep(std::move(raw));
  // Per thread and reused: after the first requests, parsing allocates nothing.
  thread_local ParsedWriteV2Request rq;
  thread_local std::vector<LabelView> labels;  // every series' resolved labels, in order
  if (!parseWriteV2Request(kept, &rq))
    return decodeFailure(error, "protobuf",
                         "body is not a valid io.prometheus.write.v2.Request protobuf message");
  // Fields 1-3 are 1.0's: a 1.0 body sent as 2.0 must not be acknowledged as an empty request.
  if (rq.v1_fields)
    return decodeFailure(error, "protobuf",
                         "body has fields unknown to io.prometheus.write.v2.Request (a remote "
                         "write 1.0 body sent with the 2.0 Content-Type?)");
  if (!rq.symbols.empty() && !rq.symbols[0].empty())
    return decodeFailure(error, "bad_symbol_ref", "symbols[0] must be the empty string");
  stats->series = rq.series.size();
  stats->samples = rq.timestamps.size();
  stats->exemplars = rq.exemplars;
  stats->histograms = rq.histograms;
  if (limits.max_series && stats->series > limits.max_series)
    return decodeFailure(error, "too_many_series",
                         std::to_string(stats->series) +
                             " series in one request, over the limit of " +
                             std::to_string(limits.max_series));
  labels.clear();
  labels.reserve(rq.label_refs.size() / 2);
  for (size_t i = 0; i < rq.series.size(); ++i) {
    size_t begin = labels.size();
    if (!resolveLabels(rq, rq.series[i], i, &labels, error)) return false;
    LabelViewSpan resolved(labels.data() + begin, labels.size() - begin);
    if (!checkSeriesLabels(resolved, static_cast<int>(i), limits, error)) return false;
    if (!checkMetadataRefs(rq, rq.series[i], i, error)) return false;
  }
  // Only after every check passed, so a refused request never half-fills `out`.
  out.reserve(rq.series.size(), labels.size(), rq.timestamps.size());
  size_t begin = 0;
  for (const Series& s : rq.series) {
    size_t count = s.ref_count / 2;
    if (s.sample_count > 0) {
      out.beginSeriesViews(labels.data() + begin, count);  // sorts that slice in place
      out.addSamples(rq.timestamps.data() + s.sample_begin, rq.values.data() + s.sample_begin,
                     s.sample_count);
    }
    begin += count;
  }
  // 2.0 carries metadata per series; the batch per family (the series' metric name, without
  // the sample suffix for histograms and summaries), once.
  std::set<std::string_view> families;
  begin = 0;
  for (const Series& s : rq.series) {
    size_t count = s.ref_count / 2;
    LabelViewSpan resolved(labels.data() + begin, count);
    begin += count;
    if (!s.has_metadata) continue;
    if (s.type == 0 && s.help_ref == 0 && s.unit_ref == 0) continue;  // nothing said
    std::string_view family = familyOf(metricName(resolved), s.type);
    if (family.empty() || !families.insert(family).second) continue;
    out.addMetadata(family, s.type, rq.symbols[s.help_ref], rq.symbols[s.unit_ref]);
    ++stats->metadata;
  }
  return true;
}

}  // namespace strata::prompb
