#include "prompb/write_v2_codec.h"

#include <set>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "prompb/series_check.h"
#include "prompb/snappy_body.h"
#include "proto/write_v2.pb.h"

namespace strata::prompb {
namespace {

namespace v2 = io::prometheus::write::v2;

static_assert(static_cast<int>(MetricTypeV2::kCounter) == v2::Metadata::METRIC_TYPE_COUNTER &&
                  static_cast<int>(MetricTypeV2::kGauge) == v2::Metadata::METRIC_TYPE_GAUGE &&
                  static_cast<int>(MetricTypeV2::kHistogram) ==
                      v2::Metadata::METRIC_TYPE_HISTOGRAM &&
                  static_cast<int>(MetricTypeV2::kGaugeHistogram) ==
                      v2::Metadata::METRIC_TYPE_GAUGEHISTOGRAM &&
                  static_cast<int>(MetricTypeV2::kSummary) == v2::Metadata::METRIC_TYPE_SUMMARY &&
                  static_cast<int>(MetricTypeV2::kInfo) == v2::Metadata::METRIC_TYPE_INFO &&
                  static_cast<int>(MetricTypeV2::kStateset) == v2::Metadata::METRIC_TYPE_STATESET,
              "MetricTypeV2 mirrors io.prometheus.write.v2.Metadata.MetricType");

std::string where(int index) { return "series " + std::to_string(index) + ": "; }

// Resolves a series' label references; false (with `error`) on a malformed reference list.
bool resolveLabels(const v2::Request& rq, const v2::TimeSeries& ts, int index, LabelViews* out,
                   DecodeError* error) {
  if (ts.labels_refs_size() % 2 != 0)
    return decodeFailure(error, "bad_symbol_ref",
                         where(index) + "labels_refs has an odd number of entries");
  out->clear();
  out->reserve(ts.labels_refs_size() / 2);
  for (int i = 0; i < ts.labels_refs_size(); i += 2) {
    uint32_t n = ts.labels_refs(i), v = ts.labels_refs(i + 1);
    if (n >= static_cast<uint32_t>(rq.symbols_size()) ||
        v >= static_cast<uint32_t>(rq.symbols_size()))
      return decodeFailure(error, "bad_symbol_ref",
                           where(index) + "label reference " + std::to_string(std::max(n, v)) +
                               " is outside the " + std::to_string(rq.symbols_size()) + " symbols");
    out->emplace_back(rq.symbols(n), rq.symbols(v));
  }
  return true;
}

// A series' metadata references, checked like its labels.
bool checkMetadataRefs(const v2::Request& rq, const v2::TimeSeries& ts, int index,
                       DecodeError* error) {
  if (!ts.has_metadata()) return true;
  uint32_t worst = std::max(ts.metadata().help_ref(), ts.metadata().unit_ref());
  if (worst < static_cast<uint32_t>(rq.symbols_size())) return true;
  return decodeFailure(error, "bad_symbol_ref",
                       where(index) + "metadata reference " + std::to_string(worst) +
                           " is outside the " + std::to_string(rq.symbols_size()) + " symbols");
}

std::string_view metricName(const LabelViews& labels) {
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

const strata_metric_metadata* metadataFor(std::string_view series_name,
                                          const MetadataIndex& index) {
  if (index.empty()) return nullptr;
  if (auto it = index.find(series_name); it != index.end()) return it->second;
  // OpenMetrics names a family without its samples' suffixes (histogram foo: foo_bucket...).
  for (std::string_view suffix :
       {"_bucket", "_count", "_sum", "_total", "_created", "_gcount", "_gsum", "_info"}) {
    if (series_name.size() <= suffix.size() || !series_name.ends_with(suffix)) continue;
    auto it = index.find(series_name.substr(0, series_name.size() - suffix.size()));
    if (it != index.end()) return it->second;
  }
  return nullptr;
}

MetadataIndex indexMetadata(const sdk::BatchView& batch) {
  MetadataIndex index;
  for (size_t i = 0; i < batch.metadataCount(); ++i)
    index[sdk::view(batch.metadata(i).metric_family)] = &batch.metadata(i);  // last one wins
  return index;
}

bool decodeWriteV2Request(std::string_view body, const DecodeLimits& limits, sdk::BatchBuilder& out,
                          DecodeStats* stats, DecodeError* error) {
  *stats = {};
  std::string raw;
  if (!uncompressRequest(body, limits, &raw, error)) return false;
  v2::Request rq;
  if (!rq.ParseFromString(raw))
    return decodeFailure(error, "protobuf",
                         "body is not a valid io.prometheus.write.v2.Request protobuf message");
  // Fields 1-3 are 1.0's: a 1.0 body sent as 2.0 must not be acknowledged as an empty request.
  if (rq.v1_timeseries_size() || rq.v1_field_2_size() || rq.v1_metadata_size())
    return decodeFailure(error, "protobuf",
                         "body has fields unknown to io.prometheus.write.v2.Request (a remote "
                         "write 1.0 body sent with the 2.0 Content-Type?)");
  if (rq.symbols_size() > 0 && !rq.symbols(0).empty())
    return decodeFailure(error, "bad_symbol_ref", "symbols[0] must be the empty string");
  stats->series = rq.timeseries_size();
  for (const auto& ts : rq.timeseries()) {
    stats->samples += ts.samples_size();
    stats->exemplars += ts.exemplars_size();
    stats->histograms += ts.histograms_size();
  }
  if (limits.max_series && stats->series > limits.max_series)
    return decodeFailure(error, "too_many_series",
                         std::to_string(stats->series) +
                             " series in one request, over the limit of " +
                             std::to_string(limits.max_series));
  std::vector<LabelViews> resolved(rq.timeseries_size());
  for (int i = 0; i < rq.timeseries_size(); ++i) {
    if (!resolveLabels(rq, rq.timeseries(i), i, &resolved[i], error)) return false;
    if (!checkSeriesLabels(resolved[i], i, limits, error)) return false;
    if (!checkMetadataRefs(rq, rq.timeseries(i), i, error)) return false;
  }
  // Only after every check passed, so a refused request never half-fills `out`.
  for (int i = 0; i < rq.timeseries_size(); ++i) {
    const auto& ts = rq.timeseries(i);
    if (ts.samples_size() == 0) continue;
    std::vector<std::pair<std::string, std::string>> labels;
    labels.reserve(resolved[i].size());
    for (const auto& [n, v] : resolved[i]) labels.emplace_back(n, v);
    out.beginSeries(std::move(labels));
    for (const auto& s : ts.samples()) out.addSample(s.timestamp(), s.value());
  }
  // 2.0 carries metadata per series; the batch per family (the series' metric name, without
  // the sample suffix for histograms and summaries), once.
  std::set<std::string_view> families;
  for (int i = 0; i < rq.timeseries_size(); ++i) {
    const auto& ts = rq.timeseries(i);
    if (!ts.has_metadata()) continue;
    const auto& m = ts.metadata();
    if (m.type() == 0 && m.help_ref() == 0 && m.unit_ref() == 0) continue;  // nothing said
    std::string_view family = familyOf(metricName(resolved[i]), static_cast<uint32_t>(m.type()));
    if (family.empty() || !families.insert(family).second) continue;
    out.addMetadata(family, static_cast<uint32_t>(m.type()), rq.symbols(m.help_ref()),
                    rq.symbols(m.unit_ref()));
    ++stats->metadata;
  }
  return true;
}

std::string encodeWriteV2Request(const sdk::BatchView& batch, std::span<const MetricTypeV2> types) {
  if (!types.empty() && types.size() != batch.seriesCount())
    throw std::invalid_argument("encodeWriteV2Request: one metric type per series, or none");
  v2::Request rq;
  std::unordered_map<std::string_view, uint32_t> symbols;
  auto ref = [&](strata_str s) {
    auto [it, added] = symbols.emplace(sdk::view(s), static_cast<uint32_t>(rq.symbols_size()));
    if (added) rq.add_symbols(s.data, s.len);
    return it->second;
  };
  ref(sdk::str(""));  // symbols[0] is the empty string
  const MetadataIndex metadata = indexMetadata(batch);
  for (size_t i = 0; i < batch.seriesCount(); ++i) {
    const auto& series = batch.series(i);
    auto* ts = rq.add_timeseries();
    const strata_label* labels = batch.labels(i);
    for (uint32_t j = 0; j < series.label_count; ++j) {
      ts->add_labels_refs(ref(labels[j].name));
      ts->add_labels_refs(ref(labels[j].value));
    }
    for (uint32_t k = 0; k < series.sample_count; ++k) {
      auto* s = ts->add_samples();
      s->set_timestamp(batch.timestamps(i)[k]);
      s->set_value(batch.values(i)[k]);
    }
    // Per series, from the batch's metadata of the series' family (as 2.0 senders do), or
    // the caller's type for the series when the batch has none for it.
    if (const strata_metric_metadata* md = metadataFor(batch.label(i, "__name__"), metadata)) {
      auto* meta = ts->mutable_metadata();
      meta->set_type(static_cast<v2::Metadata::MetricType>(md->type <= 7 ? md->type : 0));
      meta->set_help_ref(ref(md->help));
      meta->set_unit_ref(ref(md->unit));
    } else if (!types.empty() && types[i] != MetricTypeV2::kUnspecified)
      ts->mutable_metadata()->set_type(static_cast<v2::Metadata::MetricType>(types[i]));
  }
  return compress(rq.SerializeAsString());
}

}  // namespace strata::prompb
