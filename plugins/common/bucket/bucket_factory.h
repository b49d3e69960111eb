// A bucket from its configuration, as Thanos' objstore config writes it: a `type` and a
// `config` map of that backend's options. Every component that reads or writes a bucket (the
// uploader, the store gateway and the compactor) builds it here, so they accept the same
// YAML.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bucket/bucket.h"

namespace strata::bucket {

struct BucketConfig {
  std::string type;                           // "filesystem" or "s3" (case-insensitive)
  std::map<std::string, std::string> config;  // the backend's options
  // Resolves a relative filesystem directory (the component's data dir, say); empty: as is.
  std::string base_dir;
};

// Returns the first problem with `c` ("bucket.config.directory: required"), or "" when it
// would build. Used by lint (validate) and by makeBucket.
std::string checkBucketConfig(const BucketConfig& c);

// Throws std::invalid_argument with checkBucketConfig's message, or BucketError when the
// backend cannot be opened. Contacts no server.
std::unique_ptr<Bucket> makeBucket(const BucketConfig& c);

// One request that fails the way a misconfiguration does (s3: wrong credentials, a missing
// bucket, a skewed clock, an unreachable endpoint), so a component can say so at start;
// nothing for backends without such failures. A Transient error (unreachable) is worth a
// warning and retries, the others are the operator's to fix.
std::optional<BucketError> probeBucket(Bucket& bucket);

}  // namespace strata::bucket
