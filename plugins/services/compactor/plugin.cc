// The compactor's descriptor: a service with no edges that compacts the blocks of a bucket
// (docs/plugins/compactor.md).
#include <strata/sdk.hpp>

#include "bucket/bucket_options.h"
#include "compactor.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kOptions[] = {
    object("bucket", STRATA_OPT_OBJECT,
           "The bucket to compact: {type, config}, Thanos' objstore shape (as bucket_uploader).",
           strata::bucket::kBucketOptionChildren),
    option("interval", STRATA_OPT_DURATION, "5m",
           "Time between the end of a run and the start of the next (one run at start)."),
    option("block_ranges", STRATA_OPT_STRING_LIST, "[2h, 8h, 2d, 14d]",
           "Compaction levels: the first is the size of the blocks written by receivers, each "
           "next one a multiple of the one before."),
    option("vertical_compaction", STRATA_OPT_BOOL, "false",
           "Merge overlapping blocks of a stream (samples merged by timestamp); when false an "
           "overlap is reported (strata_compactor_overlaps_total) and its blocks skipped."),
    option("deduplication_replica_labels", STRATA_OPT_STRING_LIST, "[]",
           "External labels naming HA replicas, dropped from blocks' external labels before "
           "grouping, so replicas' blocks merge into one (needs vertical_compaction)."),
    option("delete_delay", STRATA_OPT_DURATION, "48h",
           "How long a block marked for deletion stays in the bucket (readers that loaded it "
           "keep serving it meanwhile)."),
    option("partial_block_delete_delay", STRATA_OPT_DURATION, "48h",
           "A block without meta.json whose newest object is older than this is an abandoned "
           "upload and is deleted."),
    option("read_buffer_bytes", STRATA_OPT_INT, "8388608",
           "Read-ahead window per source object (index, chunk segment) read from the bucket; "
           "memory of a group is about (sources x 2) windows."),
    option("scratch_dir", STRATA_OPT_STRING, "",
           "Local directory the new block is written in before its upload; empty = "
           "<data dir>/compact. Needs room for the largest output block."),
    option("downsampling", STRATA_OPT_BOOL, "false",
           "Downsample blocks to 5m and 1h resolution (Thanos' aggregate chunks) after "
           "compaction. Off by default: the store gateway cannot read downsampled blocks yet."),
    option("downsample_raw_after", STRATA_OPT_DURATION, "40h",
           "A raw block whose time range is at least this long gets a 5m copy."),
    option("downsample_5m_after", STRATA_OPT_DURATION, "10d",
           "A 5m block whose time range is at least this long gets a 1h copy."),
    option("retention_raw", STRATA_OPT_DURATION, "0s",
           "Raw blocks whose maxTime is older than this are marked for deletion; 0s = forever."),
    option("retention_5m", STRATA_OPT_DURATION, "0s",
           "As retention_raw for 5m blocks; 0s = forever."),
    option("retention_1h", STRATA_OPT_DURATION, "0s",
           "As retention_raw for 1h blocks; 0s = forever."),
};

using strata::compactor::Compactor;
const strata_component_def kCompactor = strata::sdk::component<Compactor, &Compactor::validate>(
    STRATA_KIND_SERVICE, "compactor",
    "Compacts the blocks of a bucket by levels (Thanos' layout), downsamples them, applies "
    "retention per resolution, marks and deletes blocks.",
    0, 0, kOptions);

}  // namespace

STRATA_PLUGIN("compactor", "0.1.0", &kCompactor);
