// The bucket uploader's descriptor: blocks in, shipped to a bucket
// (docs/plugins/bucket_uploader.md).
#include <strata/sdk.hpp>

#include "bucket_uploader.h"

namespace {

using strata::sdk::object;
using strata::sdk::option;

const strata_option_def kBucket[] = {
    option("type", STRATA_OPT_STRING, nullptr,
           "Backend, as in Thanos' objstore config: filesystem or s3.", STRATA_OPTF_REQUIRED),
    option("config", STRATA_OPT_ANY, nullptr,
           "The backend's options (docs/bucket.md). filesystem: directory (relative to the working "
           "directory). s3: endpoint, bucket, region, access_key, secret_key, ..."),
};

const strata_option_def kOptions[] = {
    object("bucket", STRATA_OPT_OBJECT, "Where blocks go: {type, config}, Thanos' objstore shape.",
           kBucket),
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
