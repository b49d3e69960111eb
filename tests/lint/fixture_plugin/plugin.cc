// Lint fixture: every kind, every option type, a required option, LISTEN_ADDRESS and
// QUERY_REF options and validate() hooks. Never instantiated by the lint tests.
#include <strata/sdk.hpp>
#include <string>

namespace {

using strata::sdk::ConfigView;
using strata::sdk::option;

class Nop : public strata::sdk::Component {
 public:
  Nop(strata::sdk::Host host, ConfigView /*config*/) : Component(host) {}
};

const strata_option_def kTls[] = {
    option("cert_file", STRATA_OPT_STRING, nullptr, "PEM certificate."),
    option("insecure", STRATA_OPT_BOOL, "false", "Skip verification."),
};
const strata_option_def kRelabel[] = {
    option("source", STRATA_OPT_STRING, nullptr, "Label to read.", STRATA_OPTF_REQUIRED),
    option("action", STRATA_OPT_STRING, "keep", "keep or drop."),
};
const strata_option_def kSourceOptions[] = {
    option("listen_address", STRATA_OPT_STRING, nullptr, "host:port to serve on.",
           STRATA_OPTF_LISTEN_ADDRESS),
    option("interval", STRATA_OPT_DURATION, "15s", "How often to emit."),
    option("count", STRATA_OPT_INT, "10", "Series per batch."),
    option("ratio", STRATA_OPT_FLOAT, "0.5", "A fraction."),
    option("enabled", STRATA_OPT_BOOL, "true", "Whether it runs."),
    option("targets", STRATA_OPT_STRING_LIST, nullptr, "host:port list."),
    option("labels", STRATA_OPT_STRING_MAP, nullptr, "Extra labels."),
    strata::sdk::object("tls", STRATA_OPT_OBJECT, "TLS settings.", kTls),
    strata::sdk::object("relabel", STRATA_OPT_OBJECT_LIST, "Relabel rules.", kRelabel),
    option("extra", STRATA_OPT_ANY, nullptr, "Anything."),
};

void validateSource(const ConfigView& config, strata_diag_sink* sink) {
  if (config["count"].asInt() > 1000) sink->report(sink, "count", "must be at most 1000");
  ConfigView rules = config["relabel"];
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string action = rules.at(i)["action"].asString();
    if (action != "keep" && action != "drop") {
      std::string path = "relabel." + std::to_string(i) + ".action";
      sink->report(sink, path.c_str(), ("unknown action '" + action + "'").c_str());
    }
  }
}

const strata_option_def kFilterOptions[] = {
    option("match", STRATA_OPT_STRING, nullptr, "Series selector to keep.", STRATA_OPTF_REQUIRED),
};
const strata_option_def kSinkOptions[] = {
    option("timeout", STRATA_OPT_DURATION, "5s", "Per request."),
};
const strata_option_def kStoreOptions[] = {
    option("retention", STRATA_OPT_DURATION, "15d", "How long to keep data."),
};
const strata_option_def kQueryOptions[] = {
    option("sources", STRATA_OPT_STRING_LIST, nullptr, "Queryable components.",
           STRATA_OPTF_REQUIRED | STRATA_OPTF_QUERY_REF),
    option("listen_address", STRATA_OPT_STRING, "127.0.0.1:9090", "HTTP API address.",
           STRATA_OPTF_LISTEN_ADDRESS),
};

const strata_component_def kSource = strata::sdk::component<Nop, &validateSource>(
    STRATA_KIND_RECEIVER, "fx_source", "Emits metrics.", 0, STRATA_EDGE_METRICS, kSourceOptions);
const strata_component_def kFilter =
    strata::sdk::component<Nop>(STRATA_KIND_PROCESSOR, "fx_filter", "Keeps matching series.",
                                STRATA_EDGE_METRICS, STRATA_EDGE_METRICS, kFilterOptions);
const strata_component_def kSink = strata::sdk::component<Nop>(
    STRATA_KIND_EXPORTER, "fx_sink", "Swallows metrics.", STRATA_EDGE_METRICS, 0, kSinkOptions);
const strata_component_def kUploader = strata::sdk::component<Nop>(
    STRATA_KIND_EXPORTER, "fx_uploader", "Uploads blocks.", STRATA_EDGE_BLOCKS, 0);
const strata_component_def kStore = strata::sdk::component<Nop>(
    STRATA_KIND_STORAGE, "fx_store", "Stores metrics, cuts blocks, answers queries.",
    STRATA_EDGE_METRICS, STRATA_EDGE_BLOCKS, kStoreOptions, STRATA_EDGE_QUERY);
const strata_component_def kBuffer = strata::sdk::component<Nop>(
    STRATA_KIND_STORAGE, "fx_buffer", "A metrics buffer: metrics in, metrics out.",
    STRATA_EDGE_METRICS, STRATA_EDGE_METRICS);
const strata_component_def kQuery = strata::sdk::component<Nop>(
    STRATA_KIND_SERVICE, "fx_query", "Serves queries over its sources.", 0, 0, kQueryOptions);

}  // namespace

STRATA_PLUGIN("lint_fixture", "0.1.0", &kSource, &kFilter, &kSink, &kUploader, &kStore, &kBuffer,
              &kQuery);
