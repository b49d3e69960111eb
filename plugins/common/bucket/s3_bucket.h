// The `s3` bucket backend: any S3-compatible object store (AWS, MinIO, radosgw) over libcurl
// with SigV4 (s3_request.h), multipart uploads for files above part_size (s3_multipart.h) and
// ListObjectsV2 with continuation tokens. Thread-safe. docs/bucket.md.
#pragma once

#include <string>

#include "bucket/bucket.h"
#include "bucket/s3_config.h"
#include "bucket/s3_request.h"

namespace strata::bucket {

class S3Bucket : public Bucket {
 public:
  // Throws std::invalid_argument on bad configuration (no credentials, bad endpoint). Does
  // not contact the server; call check() for a clear error at start.
  explicit S3Bucket(S3Config config);

  // "s3:http://127.0.0.1:7480/blocks": endpoint and bucket, never credentials.
  std::string describe() const override;
  std::vector<uint8_t> get(std::string_view name) override;
  std::vector<uint8_t> getRange(std::string_view name, uint64_t offset, uint64_t length) override;
  using Bucket::put;
  void put(std::string_view name, std::span<const uint8_t> data) override;
  void uploadFile(std::string_view name, const std::string& path) override;
  void list(std::string_view prefix, std::string_view delimiter,
            const std::function<void(const std::string&)>& fn) override;
  bool exists(std::string_view name) override;
  ObjectAttributes attributes(std::string_view name) override;
  // S3 deletes are idempotent: removing a missing object succeeds.
  void remove(std::string_view name) override;

  // One listing request: throws the BucketError a misconfiguration causes (wrong
  // credentials, missing bucket, skewed clock, unreachable endpoint).
  void check();
  // The object's ETag as the server reports it (quotes included; "<md5>-<parts>" for a
  // multipart upload on AWS and radosgw). NotFound when missing.
  std::string etag(std::string_view name);

  const S3Config& config() const { return client_.config(); }

 private:
  S3Response head(std::string_view op, std::string_view name);

  S3Client client_;
};

}  // namespace strata::bucket
