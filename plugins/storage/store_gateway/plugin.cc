// The store gateway's descriptor: no inputs, the query edge over a bucket's blocks provided
// (docs/plugins/store_gateway.md).
#include <strata/sdk.hpp>

#include "bucket/bucket_options.h"
#include "relabel/relabel_rule.h"
#include "store_gateway.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kOptions[] = {
    object("bucket", STRATA_OPT_OBJECT,
           "Where the blocks are: {type, config}, Thanos' objstore shape (as bucket_uploader).",
           strata::bucket::kBucketOptionChildren),
    option("sync_interval", STRATA_OPT_DURATION, "3m",
           "How often the bucket's block list is synced (also once at start)."),
    option("min_time", STRATA_OPT_STRING, "",
           "Serve only blocks ending after now + this (relative duration like -2w); empty = no "
           "lower bound. Absolute RFC3339 times are not supported yet."),
    option("max_time", STRATA_OPT_STRING, "",
           "Serve only blocks starting at or before now + this (relative duration like -2h); "
           "empty = no upper bound."),
    option("cache_max_bytes", STRATA_OPT_INT, "67108864",
           "Total budget of the in-memory caches (postings 1/4, series 1/4, chunks 1/2 unless "
           "given below); 0 = no cache."),
    option("postings_cache_bytes", STRATA_OPT_INT, "-1",
           "Budget of the postings cache; -1 = cache_max_bytes / 4."),
    option("series_cache_bytes", STRATA_OPT_INT, "-1",
           "Budget of the series entry cache; -1 = cache_max_bytes / 4."),
    option("chunks_cache_bytes", STRATA_OPT_INT, "-1",
           "Budget of the chunk cache; -1 = cache_max_bytes / 2."),
    option("cache_dir", STRATA_OPT_STRING, "",
           "Directory for the blocks' index-headers (<cache_dir>/<ulid>/index-header); empty = "
           "the component's data dir."),
    option("series_batch_size", STRATA_OPT_INT, "256",
           "Series entries a select fetches per block at a time (then their chunks)."),
    option("fetch_gap_bytes", STRATA_OPT_INT, "16384",
           "Byte ranges of one batch closer than this are fetched with one GET."),
    option("max_concurrent_selects", STRATA_OPT_INT, "8",
           "Selects whose series sets are open at once; further ones wait. 0 = unlimited."),
    option("max_queued_selects", STRATA_OPT_INT, "32",
           "Selects that may wait for a slot; one more is rejected with an error."),
    option("select_queue_timeout", STRATA_OPT_DURATION, "30s",
           "How long a select waits for a slot before it is rejected."),
    option("max_fetched_bytes_per_query", STRATA_OPT_INT, "0",
           "Bytes one select may fetch from the bucket (postings, series, chunks); past it the "
           "query fails naming this option. 0 = unlimited."),
    option("tenant_label_name", STRATA_OPT_STRING, "tenant_id",
           "External label (meta.json thanos.labels) naming a block's tenant; a query for a "
           "tenant sees only its blocks, a query without a tenant sees every block."),
    option("default_tenant", STRATA_OPT_STRING, "default-tenant",
           "Tenant of blocks without the tenant_label_name external label (e.g. written by "
           "Prometheus)."),
    option("admin_listen_address", STRATA_OPT_STRING, nullptr,
           "host:port serving POST /api/v1/strata/store_gateway/sync: sync the block list now "
           "(after an upload or a compaction) instead of waiting for sync_interval. Unset: off."),
    object("selector_relabel_configs", STRATA_OPT_OBJECT_LIST,
           "Thanos' --selector.relabel-config: relabel rules over each block's external labels "
           "(and __block_id); a block they drop is not served, so several gateways can split "
           "one bucket.",
           strata::relabel::kRuleOptions),
};

using strata::store_gateway::StoreGateway;
const strata_component_def kGateway = strata::sdk::component<StoreGateway, &StoreGateway::validate>(
    STRATA_KIND_STORAGE, "store_gateway",
    "Serves the blocks of a bucket on the query edge, fetched by byte range.", 0, 0, kOptions,
    STRATA_EDGE_QUERY);

}  // namespace

STRATA_PLUGIN("store_gateway", "0.1.0", &kGateway);
