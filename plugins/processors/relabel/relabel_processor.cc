#include "relabel_processor.h"

#include <stdexcept>

namespace strata::relabel {

RelabelProcessor::RelabelProcessor(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      dropped_series_(host.counter("strata_relabel_series_dropped_total",
                                   "Series dropped by relabel_configs.")),
      dropped_samples_(host.counter("strata_relabel_samples_dropped_total",
                                    "Samples of series dropped by relabel_configs.")) {
  std::vector<Problem> problems;
  rules_ = parseRules(config["relabel_configs"], "relabel_configs", &problems);
  if (!problems.empty()) throw std::invalid_argument(problems.front().text());
}

void RelabelProcessor::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  std::vector<Problem> problems;
  parseRules(config["relabel_configs"], "relabel_configs", &problems);
  for (const auto& p : problems) sink->report(sink, p.path.c_str(), p.message.c_str());
}

strata_metrics_batch* relabelBatch(const sdk::BatchView& in, const std::vector<Rule>& rules,
                                   size_t* dropped_series, size_t* dropped_samples) {
  sdk::BatchBuilder out{std::string(in.tenant())};
  LabelSet ls;
  std::vector<std::pair<std::string, std::string>> pairs;
  for (size_t i = 0; i < in.seriesCount(); ++i) {
    const strata_series_ref& s = in.series(i);
    ls.clear();
    const strata_label* l = in.labels(i);
    for (uint32_t j = 0; j < s.label_count; ++j)
      ls.set(sdk::view(l[j].name), sdk::view(l[j].value));
    if (!process(rules, ls) || ls.empty()) {
      ++*dropped_series;
      *dropped_samples += s.sample_count;
      continue;
    }
    pairs.clear();
    for (const Label& x : ls.labels()) pairs.emplace_back(x.name, x.value);
    out.beginSeries(pairs);
    const int64_t* ts = in.timestamps(i);
    const double* vs = in.values(i);
    for (uint32_t k = 0; k < s.sample_count; ++k) out.addSample(ts[k], vs[k]);
  }
  out.copyMetadata(in);  // family metadata is not relabelled: it passes through as is
  return out.finish(in.raw()->flags);
}

strata_status RelabelProcessor::consume(strata_metrics_batch* batch) {
  sdk::OwnedBatch owned(batch);
  if (rules_.empty()) return host().emit(owned.release());
  size_t series = 0, samples = 0;
  strata_metrics_batch* out = relabelBatch(owned.view(), rules_, &series, &samples);
  if (series) {
    dropped_series_.add(static_cast<double>(series));
    dropped_samples_.add(static_cast<double>(samples));
  }
  return host().emit(out);
}

}  // namespace strata::relabel
