// The ruler descriptor: Prometheus recording and alerting rules over a query source, results
// on the metrics edge, alerts to Alertmanager.
#include <strata/sdk.hpp>

#include "ruler.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kStaticConfig[] = {
    option("targets", STRATA_OPT_STRING_LIST, nullptr, "Alertmanager host:port addresses.",
           STRATA_OPTF_REQUIRED),
};
const strata_option_def kAlertmanager[] = {
    object("static_configs", STRATA_OPT_OBJECT_LIST, "Alertmanagers by address.", kStaticConfig),
    option("scheme", STRATA_OPT_STRING, "http", "http or https."),
    option("path_prefix", STRATA_OPT_STRING, "/", "Prefix of the Alertmanager API path."),
    option("timeout", STRATA_OPT_DURATION, "10s", "Timeout of one push."),
    option("api_version", STRATA_OPT_STRING, "v2", "Alertmanager API version (only v2)."),
};

const strata_option_def kOptions[] = {
    option("sources", STRATA_OPT_STRING_LIST, nullptr,
           "Component id providing the query edge the rules are evaluated over (one).",
           STRATA_OPTF_REQUIRED | STRATA_OPTF_QUERY_REF),
    option("rule_files", STRATA_OPT_STRING_LIST, nullptr, "Prometheus rule files (globs allowed).",
           STRATA_OPTF_REQUIRED),
    option("evaluation_interval", STRATA_OPT_DURATION, "1m",
           "Interval of groups without their own `interval`."),
    option("external_labels", STRATA_OPT_STRING_MAP, "{}",
           "Labels added to alerts sent, and $externalLabels in templates."),
    option("external_url", STRATA_OPT_STRING, "", "Alerts' generatorURL; $externalURL."),
    option("tenant", STRATA_OPT_STRING, "default-tenant", "Tenant queried and written to."),
    option("listen_address", STRATA_OPT_STRING, "",
           "host:port serving /api/v1/rules and /api/v1/alerts; empty: no API.",
           STRATA_OPTF_LISTEN_ADDRESS),
    option("lookback_delta", STRATA_OPT_DURATION, "5m", "Lookback of instant selectors."),
    option("query_timeout", STRATA_OPT_DURATION, "2m", "Longest evaluation of one rule."),
    object("alertmanagers", STRATA_OPT_OBJECT_LIST, "Alertmanagers alerts go to (all of them).",
           kAlertmanager),
    option("resend_delay", STRATA_OPT_DURATION, "1m",
           "Minimum delay before a firing alert is sent again."),
    option("send_retries", STRATA_OPT_INT, "3", "Further attempts per Alertmanager and batch."),
    option("notification_queue_capacity", STRATA_OPT_INT, "10000",
           "Alert batches queued per Alertmanager; beyond it the oldest is dropped."),
};

using strata::ruler::Ruler;
const strata_component_def kRuler = strata::sdk::component<Ruler, &Ruler::validate>(
    STRATA_KIND_RECEIVER, "ruler",
    "Prometheus recording and alerting rules over a query source; results on the metrics edge, "
    "alerts to Alertmanager.",
    0, STRATA_EDGE_METRICS, kOptions);

}  // namespace

STRATA_PLUGIN("ruler", "0.1.0", &kRuler);
