#include "external_labels.h"

#include <algorithm>
#include <stdexcept>

#include "relabel/label_set.h"

namespace strata::external_labels {
namespace {

std::vector<std::pair<std::string, std::string>> parse(const sdk::ConfigView& config,
                                                       std::vector<std::string>* problems) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : config["labels"].asStringMap()) {
    if (!relabel::isValidLabelName(name) || name.rfind("__", 0) == 0) {
      problems->push_back("labels." + name);
      problems->push_back("\"" + name +
                          "\" is not a valid external label name (reserved names start with __)");
    } else if (value.empty()) {
      problems->push_back("labels." + name);
      problems->push_back("value must not be empty");
    }
    out.emplace_back(name, value);
  }
  return out;  // asStringMap is a std::map: already sorted by name
}

}  // namespace

ExternalLabels::ExternalLabels(sdk::Host host, sdk::ConfigView config) : sdk::Component(host) {
  std::vector<std::string> problems;
  labels_ = parse(config, &problems);
  if (!problems.empty()) throw std::invalid_argument(problems[0] + ": " + problems[1]);
}

void ExternalLabels::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::vector<std::string> problems;
  parse(config, &problems);
  for (size_t i = 0; i + 1 < problems.size(); i += 2)
    sink->report(sink, problems[i].c_str(), problems[i + 1].c_str());
}

strata_metrics_batch* addExternalLabels(
    const sdk::BatchView& in, const std::vector<std::pair<std::string, std::string>>& labels) {
  // Sized up front, every byte copied once: the external labels once per batch, the series'
  // own labels into one buffer the new batch's labels view (no string per label).
  size_t bytes = 0, most = 0, total_labels = 0;
  for (const auto& [name, value] : labels) bytes += name.size() + value.size();
  for (size_t i = 0; i < in.seriesCount(); ++i) {
    const strata_series_ref& s = in.series(i);
    const strata_label* l = in.labels(i);
    for (uint32_t j = 0; j < s.label_count; ++j) bytes += l[j].name.len + l[j].value.len;
    most = std::max<size_t>(most, s.label_count);
    total_labels += s.label_count + labels.size();
  }
  sdk::BatchBuilder out{std::string(in.tenant())};
  out.reserve(in.seriesCount(), total_labels, in.sampleCount());
  std::string buffer;
  buffer.reserve(bytes);
  for (const auto& [name, value] : labels) buffer.append(name).append(value);
  for (size_t i = 0; i < in.seriesCount(); ++i) {
    const strata_label* l = in.labels(i);
    for (uint32_t j = 0; j < in.series(i).label_count; ++j)
      buffer.append(sdk::view(l[j].name)).append(sdk::view(l[j].value));
  }
  std::string_view kept = out.keep(std::move(buffer));
  size_t at = 0;
  auto take = [&kept, &at](size_t n) {
    std::string_view v = kept.substr(at, n);
    at += n;
    return v;
  };
  std::vector<sdk::BatchBuilder::LabelView> external, views;
  for (const auto& [name, value] : labels) {
    std::string_view n = take(name.size());
    external.emplace_back(n, take(value.size()));
  }
  views.reserve(most + labels.size());
  for (size_t i = 0; i < in.seriesCount(); ++i) {
    const strata_series_ref& s = in.series(i);
    const strata_label* l = in.labels(i);
    // External labels first: beginSeriesViews keeps the LAST of duplicate names, so the
    // series' own value wins.
    views.assign(external.begin(), external.end());
    for (uint32_t j = 0; j < s.label_count; ++j) {
      std::string_view n = take(l[j].name.len);
      views.emplace_back(n, take(l[j].value.len));
    }
    out.beginSeriesViews(views.data(), views.size());
    out.addSamples(in.timestamps(i), in.values(i), s.sample_count);
  }
  out.copyMetadata(in);  // family metadata is not relabelled: it passes through as is
  return out.finish(in.raw()->flags);
}

strata_status ExternalLabels::consume(strata_metrics_batch* batch) {
  sdk::OwnedBatch owned(batch);
  if (labels_.empty()) return host().emit(owned.release());
  return host().emit(addExternalLabels(owned.view(), labels_));
}

}  // namespace strata::external_labels
