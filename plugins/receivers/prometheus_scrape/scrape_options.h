// The prometheus_scrape option schema: Prometheus' scrape_configs as users write them, so
// lint checks every key. Shared by plugin.cc and the tests.
#pragma once

#include <strata/sdk.hpp>

#include "http_client/options_schema.h"
#include "relabel/relabel_rule.h"

namespace strata::scrape {

using sdk::object;
using sdk::option;

inline constexpr strata_option_def kStaticOptions[] = {
    option("targets", STRATA_OPT_STRING_LIST, nullptr, "host:port addresses."),
    option("labels", STRATA_OPT_STRING_MAP, nullptr, "Labels of every target of the group."),
};

inline constexpr strata_option_def kFileSdOptions[] = {
    option("files", STRATA_OPT_STRING_LIST, nullptr,
           "JSON or YAML target files; the last path element may be a glob (*.json).",
           STRATA_OPTF_REQUIRED),
    option("refresh_interval", STRATA_OPT_DURATION, "5m",
           "Re-read period; files are also re-read as soon as their mtime changes."),
};

inline constexpr strata_option_def kHttpSdOptions[] = {
    option("url", STRATA_OPT_STRING, nullptr, "URL answering a JSON list of target groups.",
           STRATA_OPTF_REQUIRED),
    option("refresh_interval", STRATA_OPT_DURATION, "1m", "Re-fetch period."),
};

inline constexpr strata_option_def kJobOptions[] = {
    option("job_name", STRATA_OPT_STRING, nullptr, "The job label; unique.", STRATA_OPTF_REQUIRED),
    option("scrape_interval", STRATA_OPT_DURATION, nullptr, "Default: the component's."),
    option("scrape_timeout", STRATA_OPT_DURATION, nullptr, "Default: the component's."),
    option("metrics_path", STRATA_OPT_STRING, "/metrics", "HTTP path."),
    option("scheme", STRATA_OPT_STRING, "http", "http or https."),
    option("params", STRATA_OPT_ANY, nullptr, "URL parameters: a map of name to list of values."),
    option("honor_labels", STRATA_OPT_BOOL, "false",
           "Keep exposed labels on conflict with target labels (else exported_<name>)."),
    option("honor_timestamps", STRATA_OPT_BOOL, "true", "Use exposed timestamps."),
    http_client::kBasicAuth,
    http_client::kAuthorization,
    http_client::kBearerToken,
    http_client::kBearerTokenFile,
    http_client::kTlsConfig,
    object("static_configs", STRATA_OPT_OBJECT_LIST, "Fixed target groups.", kStaticOptions),
    object("file_sd_configs", STRATA_OPT_OBJECT_LIST, "File service discovery.", kFileSdOptions),
    object("http_sd_configs", STRATA_OPT_OBJECT_LIST, "HTTP service discovery.", kHttpSdOptions),
    object("relabel_configs", STRATA_OPT_OBJECT_LIST, "Target relabeling.", relabel::kRuleOptions),
    object("metric_relabel_configs", STRATA_OPT_OBJECT_LIST, "Relabeling of scraped series.",
           relabel::kRuleOptions),
    option("sample_limit", STRATA_OPT_INT, "0",
           "Scrape fails when more samples remain after relabeling; 0 = no limit."),
    option("label_limit", STRATA_OPT_INT, "0",
           "Scrape fails when a series has more labels; 0 = no limit."),
    option("label_name_length_limit", STRATA_OPT_INT, "0", "0 = no limit."),
    option("label_value_length_limit", STRATA_OPT_INT, "0", "0 = no limit."),
    option("body_size_limit", STRATA_OPT_INT, "0",
           "Bytes of uncompressed body; larger fails the scrape. 0 = no limit."),
};

inline constexpr strata_option_def kReceiverOptions[] = {
    option("scrape_interval", STRATA_OPT_DURATION, "1m", "Default scrape interval of jobs."),
    option("scrape_timeout", STRATA_OPT_DURATION, "10s", "Default scrape timeout of jobs."),
    option("tenant", STRATA_OPT_STRING, "", "Tenant of emitted batches."),
    option("workers", STRATA_OPT_INT, "4", "Scrape threads shared by all targets."),
    option("metadata_interval", STRATA_OPT_DURATION, "1m",
           "TYPE/HELP/UNIT of a target ride along with its scrape when they changed, and at "
           "least this often otherwise; 0s: only when they changed."),
    option("send_metadata", STRATA_OPT_BOOL, "true",
           "Attach metric family metadata to the emitted batches."),
    option("ack", STRATA_OPT_STRING, "delivered",
           "delivered: a scrape is done once every sink consumed or committed its batch "
           "(exporters: their durable queue); accepted: once every downstream queue took it."),
    object("scrape_configs", STRATA_OPT_OBJECT_LIST, "Prometheus scrape_configs.", kJobOptions),
};

}  // namespace strata::scrape
