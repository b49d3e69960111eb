// example_tagger: a processor that adds one label to every series passing through.
//
//   processors:
//     example_tagger:
//       label_name: tagged_by   # optional, this is the default
//       label_value: team_a     # required
//
// Batches are immutable views, so the tagger rebuilds each one with sdk::BatchBuilder and emits
// the copy; the incoming batch is released when `in` goes out of scope.
#include <stdexcept>
#include <strata/sdk.hpp>
#include <string>
#include <utility>
#include <vector>

namespace {

using strata::sdk::BatchBuilder;
using strata::sdk::BatchView;
using strata::sdk::ConfigView;
using strata::sdk::Host;
using strata::sdk::OwnedBatch;

bool validLabelName(const std::string& name) {
  if (name.empty() || name.rfind("__", 0) == 0) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// Lint-time check (side-effect free): what the schema alone cannot say.
void validate(const ConfigView& config, strata_diag_sink* sink) {
  std::string name = config["label_name"].asString("tagged_by");
  if (!validLabelName(name))
    sink->report(
        sink, "label_name",
        ("'" + name + "' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no __)").c_str());
  if (config["label_value"].asString().empty())
    sink->report(sink, "label_value", "must not be empty");
}

class ExampleTagger : public strata::sdk::Component {
 public:
  ExampleTagger(Host host, ConfigView config)
      : Component(host),
        name_(config["label_name"].asString("tagged_by")),
        value_(config["label_value"].asString()),
        tagged_(host.counter("example_tagger_series_total", "Series tagged.")) {
    // Throwing refuses the config; the SDK turns it into STRATA_FAILED + set_error().
    if (!validLabelName(name_)) throw std::invalid_argument("invalid label_name '" + name_ + "'");
    if (value_.empty()) throw std::invalid_argument("label_value must not be empty");
  }

  // THREAD: may run on several receiver threads at once; it touches no shared mutable state.
  strata_status consume(strata_metrics_batch* batch) override {
    OwnedBatch in(batch);  // OWNERSHIP: ours now; released at the end of this scope
    BatchView view = in.view();
    BatchBuilder out{std::string(view.tenant())};
    for (size_t i = 0; i < view.seriesCount(); ++i) {
      const strata_series_ref& s = view.series(i);
      std::vector<std::pair<std::string, std::string>> labels;
      labels.reserve(s.label_count + 1);
      for (uint32_t j = 0; j < s.label_count; ++j) {
        const strata_label& l = view.labels(i)[j];
        labels.emplace_back(strata::sdk::view(l.name), strata::sdk::view(l.value));
      }
      labels.emplace_back(name_, value_);  // last wins: overrides an existing label of that name
      out.beginSeries(std::move(labels));
      for (uint32_t k = 0; k < s.sample_count; ++k)
        out.addSample(view.timestamps(i)[k], view.values(i)[k]);
    }
    tagged_.add(static_cast<double>(view.seriesCount()));
    // Keep the receiver's flags (e.g. ACK_ON_DELIVERY); emit transfers the new batch.
    return host().emit(out.finish(batch->flags));
  }

 private:
  std::string name_, value_;
  strata::sdk::Metric tagged_;
};

const strata_option_def kOptions[] = {
    strata::sdk::option("label_name", STRATA_OPT_STRING, "tagged_by", "Name of the added label."),
    strata::sdk::option("label_value", STRATA_OPT_STRING, nullptr, "Value of the added label.",
                        STRATA_OPTF_REQUIRED),
};

const strata_component_def kExampleTagger = strata::sdk::component<ExampleTagger, validate>(
    STRATA_KIND_PROCESSOR, "example_tagger", "Adds one fixed label to every series.",
    STRATA_EDGE_METRICS, STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("example_tagger", "0.1.0", &kExampleTagger)
