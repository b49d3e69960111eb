// The remote_write exporter's descriptor: Prometheus remote write 1.0/2.0 out, durable queue.
#include <strata/sdk.hpp>

#include "http_client/options_schema.h"
#include "remote_write_exporter.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kQueueConfig[] = {
    option("capacity", STRATA_OPT_INT, "10000",
           "Samples each shard reads from the durable queue ahead of what it has sent."),
    option("min_shards", STRATA_OPT_INT, "1", "Fewest shards (parallel connections) to run."),
    option("max_shards", STRATA_OPT_INT, "50", "Most shards dynamic resharding may run."),
    option("max_samples_per_send", STRATA_OPT_INT, "2000", "Samples per request at most."),
    option("batch_send_deadline", STRATA_OPT_DURATION, "5s",
           "Longest a sample waits for a fuller request."),
    option("min_backoff", STRATA_OPT_DURATION, "30ms", "First retry delay."),
    option("max_backoff", STRATA_OPT_DURATION, "5s", "Retry delay cap (doubling)."),
    option("retry_on_http_429", STRATA_OPT_BOOL, "true", "Retry 429 instead of dropping."),
};
const strata_option_def kQueue[] = {
    option("directory", STRATA_OPT_STRING, nullptr, "RocksDB directory; default <data_dir>/queue."),
    option("max_bytes", STRATA_OPT_INT, "1073741824", "Byte bound; the oldest data is dropped."),
    option("sync", STRATA_OPT_STRING, "never",
           "always: fsync each batch (power loss); never: survive process death only."),
};

const strata_option_def kMetadataConfig[] = {
    option("send", STRATA_OPT_BOOL, "true",
           "Send metric family metadata (1.0: separate requests every send_interval; 2.0: with "
           "each series)."),
    option("send_interval", STRATA_OPT_DURATION, "1m", "How often 1.0 metadata is sent."),
    option("max_samples_per_send", STRATA_OPT_INT, "500",
           "Metadata entries per 1.0 metadata request at most."),
};

const strata_option_def kOptions[] = {
    option("url", STRATA_OPT_STRING, nullptr, "Remote write endpoint.", STRATA_OPTF_REQUIRED),
    option("remote_timeout", STRATA_OPT_DURATION, "30s", "Timeout of one request."),
    strata::http_client::kHeaders,
    strata::http_client::kBasicAuth,
    strata::http_client::kAuthorization,
    strata::http_client::kBearerToken,
    strata::http_client::kBearerTokenFile,
    strata::http_client::kTlsConfig,
    object("write_relabel_configs", STRATA_OPT_OBJECT_LIST,
           "Prometheus relabel_configs applied to each series before it is queued.",
           strata::relabel::kRuleOptions),
    option("external_labels", STRATA_OPT_STRING_MAP, nullptr,
           "Labels added to every series without one of that name (Prometheus' "
           "global.external_labels), before write_relabel_configs."),
    option("protocol", STRATA_OPT_STRING, "\"1.0\"",
           "Remote write protocol: 1.0 (prometheus.WriteRequest) or 2.0 "
           "(io.prometheus.write.v2.Request)."),
    object("queue_config", STRATA_OPT_OBJECT, "Sharding, batching and retries.", kQueueConfig),
    object("queue", STRATA_OPT_OBJECT, "The durable queue on RocksDB.", kQueue),
    object("metadata_config", STRATA_OPT_OBJECT, "Metric metadata, as Prometheus' remote_write.",
           kMetadataConfig),
};

using strata::rwexporter::RemoteWriteExporter;
const strata_component_def kExporter =
    strata::sdk::component<RemoteWriteExporter, &RemoteWriteExporter::validate>(
        STRATA_KIND_EXPORTER, "remote_write",
        "Prometheus remote write 1.0 and 2.0 sender with a durable RocksDB queue.",
        STRATA_EDGE_METRICS, 0, kOptions);

}  // namespace

STRATA_PLUGIN("remote_write_exporter", "0.1.0", &kExporter);
