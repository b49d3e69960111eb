// The `bucket: {type, config}` option every component that reads or writes a bucket takes
// (bucket_uploader, store_gateway, compactor), in one place so they document and
// parse it alike. Header-only: it needs the plugin SDK, which the including plugin links.
#pragma once

#include <strata/sdk.hpp>
#include <string>

#include "bucket/bucket_factory.h"

namespace strata::bucket {

// The children of the `bucket` OBJECT option.
inline constexpr strata_option_def kBucketOptionChildren[] = {
    sdk::option("type", STRATA_OPT_STRING, nullptr,
                "Backend, as in Thanos' objstore config: filesystem or s3 (case-insensitive).",
                STRATA_OPTF_REQUIRED),
    sdk::option("config", STRATA_OPT_ANY, nullptr,
                "The backend's options (docs/bucket.md). filesystem: directory (relative to the "
                "working directory). s3: endpoint, bucket, region, access_key, secret_key, ..."),
};

// The BucketConfig of a `bucket` option's value (scalars of `config` as their text).
inline BucketConfig bucketConfigFrom(const sdk::ConfigView& bucket) {
  BucketConfig c;
  c.type = bucket["type"].asString();
  sdk::ConfigView opts = bucket["config"];
  for (size_t i = 0; i < opts.size(); ++i)
    c.config[std::string(opts.keyAt(i))] = opts.at(i).asString();
  return c;
}

}  // namespace strata::bucket
