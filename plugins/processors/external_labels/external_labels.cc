#include "external_labels.h"

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
  sdk::BatchBuilder out{std::string(in.tenant())};
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < in.seriesCount(); ++i) {
    const strata_series_ref& s = in.series(i);
    const strata_label* l = in.labels(i);
    pairs.clear();
    // External labels first: beginSeries keeps the LAST of duplicate names, so the series'
    // own value wins.
    pairs.insert(pairs.end(), labels.begin(), labels.end());
    for (uint32_t j = 0; j < s.label_count; ++j)
      pairs.emplace_back(sdk::view(l[j].name), sdk::view(l[j].value));
    out.beginSeries(pairs);
    const int64_t* ts = in.timestamps(i);
    const double* vs = in.values(i);
    for (uint32_t k = 0; k < s.sample_count; ++k) out.addSample(ts[k], vs[k]);
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
