// The promql_api descriptor: the Prometheus HTTP API (queries, metadata, federation, remote
// read) over one or more Queryables.
#include <strata/sdk.hpp>

#include "promql_api.h"

namespace {

using strata::sdk::option;

const strata_option_def kOptions[] = {
    option("listen_address", STRATA_OPT_STRING, "0.0.0.0:9090",
           "host:port to serve on; may equal server.listen_address (routes share the socket).",
           STRATA_OPTF_LISTEN_ADDRESS),
    option("sources", STRATA_OPT_STRING_LIST, nullptr,
           "Component ids providing the query edge; their series are merged (union).",
           STRATA_OPTF_REQUIRED | STRATA_OPTF_QUERY_REF),
    option("tenant_header", STRATA_OPT_STRING, "THANOS-TENANT", "Header naming the tenant."),
    option("default_tenant", STRATA_OPT_STRING, "default-tenant",
           "Tenant of requests without the tenant header."),
    option("lookback_delta", STRATA_OPT_DURATION, "5m",
           "How far back an instant selector looks for a sample (also /federate)."),
    option("query_timeout", STRATA_OPT_DURATION, "2m",
           "Longest evaluation; a request's `timeout` parameter can only shorten it."),
    option("max_samples", STRATA_OPT_INT, "50000000",
           "Samples one query may hold in memory at once."),
    option("max_series", STRATA_OPT_INT, "0", "Series one selector may select; 0 = unlimited."),
    option("max_points_per_series", STRATA_OPT_INT, "11000",
           "Steps of a range query ((end-start)/step), as Prometheus."),
    option("max_body_bytes", STRATA_OPT_INT, "33554432",
           "Largest request body (POST forms, remote read; after snappy decompression)."),
    option("remote_read_sample_limit", STRATA_OPT_INT, "50000000",
           "Samples one remote read request may return; 0 = unlimited."),
};

using strata::promql_api::PromqlApi;
const strata_component_def kApi = strata::sdk::component<PromqlApi, &PromqlApi::validate>(
    STRATA_KIND_SERVICE, "promql_api",
    "Prometheus HTTP API (query, query_range, series, labels, federate, remote read).", 0, 0,
    kOptions);

}  // namespace

STRATA_PLUGIN("promql_api", "0.1.0", &kApi);
