// The block_store's descriptor: metrics in, blocks out, a Queryable provided.
#include <strata/sdk.hpp>

#include "block_store.h"

namespace {

using strata::sdk::option;

const strata_option_def kOptions[] = {
    option("path", STRATA_OPT_STRING, "\"\"",
           "Data directory; empty = the host's data dir for this component. Holds wal/ and one "
           "directory of blocks per tenant."),
    option("block_duration", STRATA_OPT_DURATION, "2h", "Time range of each block."),
    option("out_of_order_time_window", STRATA_OPT_DURATION, "0s",
           "How far behind the head's newest sample an out-of-order sample is still accepted; "
           "0 = in-order only."),
    option("retention_time", STRATA_OPT_DURATION, "15d", "Blocks older than this are deleted."),
    option("retention_size", STRATA_OPT_INT, "0",
           "Bytes of blocks per tenant to keep, oldest deleted first; 0 = no limit."),
    option("wal_sync", STRATA_OPT_STRING, "interval",
           "interval: acknowledged once in the WAL (survives a process crash), fsynced every "
           "wal_sync_interval; always: fsynced before the acknowledgement (group commit)."),
    option("wal_sync_interval", STRATA_OPT_DURATION, "1s", "fsync period with wal_sync: interval."),
    option("tenant_label_name", STRATA_OPT_STRING, "tenant_id",
           "External label naming the tenant in each block's meta.json."),
    option("default_tenant", STRATA_OPT_STRING, "default-tenant",
           "Tenant of batches without one, and of blocks lying directly in the data dir."),
    option("external_labels", STRATA_OPT_STRING_MAP, nullptr,
           "Extra Thanos external labels written into every block's meta.json."),
    option("debug_listen_address", STRATA_OPT_STRING, nullptr,
           "host:port serving GET /api/v1/strata/dump?tenant=T (every sample) and POST "
           "/api/v1/strata/flush (seal the whole head into blocks); unset = off.",
           STRATA_OPTF_LISTEN_ADDRESS),
    option("cut_check_interval", STRATA_OPT_DURATION, "1s",
           "How often the block cutter checks whether a block is due."),
    option("head_chunks_on_disk", STRATA_OPT_BOOL, "true",
           "Keep sealed head chunks in <tenant>/chunks_head files (a cache rebuilt from the WAL) "
           "instead of the heap, like Prometheus' chunks_head; false = all in memory."),
    option("block_chunk_max_samples", STRATA_OPT_INT, "240",
           "When a block is written, a series' consecutive head chunks (120 samples) are "
           "re-encoded into XOR chunks of up to this many samples (1-65535); 120 keeps the head's "
           "layout. Larger: smaller blocks, more decoding per chunk a query touches."),
    option("metadata_limit", STRATA_OPT_INT, "100000",
           "Metric families whose latest TYPE/HELP/UNIT is kept per tenant (in memory, as "
           "Prometheus keeps it in its scrape cache); further new families are dropped and "
           "counted. 0 = no limit."),
    option("query_decode_ahead", STRATA_OPT_BOOL, "true",
           "A select of 512 series or more decodes its chunks on a second thread while the "
           "query engine evaluates the series already decoded (uses a spare core)."),
    option("seal_head_on_stop", STRATA_OPT_BOOL, "false",
           "On stop, write the whole head as blocks and checkpoint the WAL (benchmarks, "
           "short-lived stores); later samples older than the newest sealed one are refused."),
};

using strata::block_store::BlockStore;
const strata_component_def kBlockStore = strata::sdk::component<BlockStore, &BlockStore::validate>(
    STRATA_KIND_STORAGE, "block_store",
    "Head + RocksDB WAL + Prometheus TSDB blocks, per tenant; a Queryable over both.",
    STRATA_EDGE_METRICS, STRATA_EDGE_BLOCKS, kOptions, STRATA_EDGE_QUERY);

}  // namespace

STRATA_PLUGIN("block_store", "0.1.0", &kBlockStore);
