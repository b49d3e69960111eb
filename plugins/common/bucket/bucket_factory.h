// A bucket from its configuration, as Thanos' objstore config writes it: a `type` and a
// `config` map of that backend's options. Every component that reads or writes a bucket (the
// uploader, later the store gateway and the compactor) builds it here, so they accept the same
// YAML.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "bucket/bucket.h"

namespace strata::bucket {

struct BucketConfig {
  std::string type;                           // "filesystem" (case-insensitive: FILESYSTEM)
  std::map<std::string, std::string> config;  // the backend's options
  // Resolves a relative filesystem directory (the component's data dir, say); empty: as is.
  std::string base_dir;
};

// Returns the first problem with `c` ("bucket.config.directory: required"), or "" when it
// would build. Used by lint (validate) and by makeBucket.
std::string checkBucketConfig(const BucketConfig& c);

// Throws std::invalid_argument with checkBucketConfig's message, or BucketError when the
// backend cannot be opened.
std::unique_ptr<Bucket> makeBucket(const BucketConfig& c);

}  // namespace strata::bucket
