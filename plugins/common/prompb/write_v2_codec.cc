#include "prompb/write_v2_codec.h"

#include <stdexcept>
#include <unordered_map>
#include <utility>

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
