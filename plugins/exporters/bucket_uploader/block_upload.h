// Ships one local block directory to a bucket in the Thanos layout: every file as
// <ULID>/<path inside the block>, meta.json last, so a reader listing the bucket never sees a
// half-uploaded block as a block (Thanos and our store gateway take a block to exist once its
// meta.json does). Uploading again after a crash overwrites the same objects: the bucket holds
// each block once whatever happened before.
#pragma once

#include <cstdint>
#include <string>

#include "bucket/bucket.h"

namespace strata::uploader {

struct UploadResult {
  uint64_t bytes = 0;
  uint32_t files = 0;
};

// Throws bucket::BucketError from the bucket, std::runtime_error when the local block cannot
// be read (missing directory or meta.json: the caller tells "gone" from "broken" with
// blockDirExists()).
UploadResult uploadBlock(bucket::Bucket& bucket, const std::string& dir, const std::string& ulid);

bool blockDirExists(const std::string& dir);

}  // namespace strata::uploader
