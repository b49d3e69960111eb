#include "core/model/batch_labels.h"

#include <stdexcept>
#include <string>

namespace strata::model {
namespace {

const strata_series_ref& seriesAt(const strata_metrics_batch& batch, size_t series) {
  if (series >= batch.series_count)
    throw std::invalid_argument("series index " + std::to_string(series) + " out of range (" +
                                std::to_string(batch.series_count) + " series)");
  return batch.series[series];
}

}  // namespace

Labels labelsOf(const strata_metrics_batch& batch, size_t series) {
  const auto& ref = seriesAt(batch, series);
  if (size_t{ref.label_begin} + ref.label_count > batch.label_count)
    throw std::invalid_argument("series " + std::to_string(series) + " labels out of range");
  std::vector<std::pair<std::string_view, std::string_view>> pairs;
  pairs.reserve(ref.label_count);
  for (uint32_t i = 0; i < ref.label_count; ++i) {
    const auto& l = batch.labels[ref.label_begin + i];
    pairs.emplace_back(std::string_view(l.name.data, l.name.len),
                       std::string_view(l.value.data, l.value.len));
  }
  Labels out;
  std::string error;
  if (!Labels::build(pairs, &out, &error))
    throw std::invalid_argument("series " + std::to_string(series) + ": " + error);
  return out;
}

std::vector<Sample> samplesOf(const strata_metrics_batch& batch, size_t series) {
  const auto& ref = seriesAt(batch, series);
  if (size_t{ref.sample_begin} + ref.sample_count > batch.sample_count)
    throw std::invalid_argument("series " + std::to_string(series) + " samples out of range");
  std::vector<Sample> out;
  out.reserve(ref.sample_count);
  for (uint32_t i = 0; i < ref.sample_count; ++i)
    out.push_back({batch.timestamps_ms[ref.sample_begin + i], batch.values[ref.sample_begin + i]});
  return out;
}

}  // namespace strata::model
