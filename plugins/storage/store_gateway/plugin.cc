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
           "Bound of the in-memory LRU of byte ranges fetched from the bucket (index and chunk "
           "reads, keyed by object and exact range); 0 = no cache."),
    option("cache_dir", STRATA_OPT_STRING, "",
           "Directory for local caches; empty = the component's data dir. Created at start; "
           "nothing is written there yet."),
    option("tenant_label_name", STRATA_OPT_STRING, "tenant_id",
           "External label (meta.json thanos.labels) naming a block's tenant; a query for a "
           "tenant sees only its blocks, a query without a tenant sees every block."),
    option("default_tenant", STRATA_OPT_STRING, "default-tenant",
           "Tenant of blocks without the tenant_label_name external label (e.g. written by "
           "Prometheus)."),
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
