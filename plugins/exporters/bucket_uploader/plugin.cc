// The bucket uploader's descriptor: blocks in, shipped to a bucket
// (docs/plugins/bucket_uploader.md).
#include <strata/sdk.hpp>

#include "bucket/bucket_options.h"
#include "bucket_uploader.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kOptions[] = {
    object("bucket", STRATA_OPT_OBJECT, "Where blocks go: {type, config}, Thanos' objstore shape.",
           strata::bucket::kBucketOptionChildren),
    option("retry_max_backoff", STRATA_OPT_DURATION, "5m",
           "Longest wait between two attempts to ship a block (backoff doubles from 1 s, with "
           "jitter); a block is retried until it is shipped or its local files are gone."),
};

using strata::uploader::BucketUploader;
const strata_component_def kUploader =
    strata::sdk::component<BucketUploader, &BucketUploader::validate>(
        STRATA_KIND_EXPORTER, "bucket_uploader",
        "Ships sealed blocks to a bucket in the Thanos layout, exactly once, meta.json last.",
        STRATA_EDGE_BLOCKS, 0, kOptions);

}  // namespace

STRATA_PLUGIN("bucket_uploader", "0.1.0", &kUploader);
