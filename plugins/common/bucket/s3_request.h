// One signed S3 request over libcurl with retries. SigV4 is libcurl's (CURLOPT_AWS_SIGV4
// "aws:amz:REGION:s3") with the three 7.88 quirks handled here: x-amz-content-sha256 is sent by
// us (the body's SHA-256, or UNSIGNED-PAYLOAD for a body streamed from a file), the query is
// sorted and RFC 3986-encoded (s3_uri.h), and value-less keys are written "uploads=".
// Retries: 5xx, 429, SlowDown, RequestTimeout and connection errors, up to max_retries times
// with exponential backoff and full jitter; never other 4xx. Easy handles are pooled (their
// connections reused); an S3Client may be used from several threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bucket/bucket.h"
#include "bucket/s3_config.h"
#include "bucket/s3_uri.h"

namespace strata::bucket {

struct S3Request {
  std::string method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string key;             // object name; empty: the bucket
  S3Query query;
  std::vector<std::string> headers;  // extra "Name: value" lines (signed)
  // The body: bytes in memory (payload hash computed), or a range of a local file read by
  // pread on every attempt (file_fd >= 0; hashed when sign_file_payload, else UNSIGNED-PAYLOAD).
  std::span<const uint8_t> body;
  int file_fd = -1;
  uint64_t file_offset = 0;
  uint64_t file_length = 0;
  bool sign_file_payload = false;
};

struct S3Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-case; the final response's
  std::vector<uint8_t> body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Hex SHA-256 of bytes (OpenSSL).
std::string sha256Hex(std::span<const uint8_t> data);

// The BucketError for a final non-2xx response, e.g. Unauthorized
// `bucket get "x": 403 SignatureDoesNotMatch: The request signature ...`.
BucketError s3HttpError(std::string_view op, std::string_view object, const S3Response& r,
                        const std::string& bucket);
// Whether a response is worth retrying (5xx, 429, SlowDown, RequestTimeout).
bool s3Retryable(const S3Response& r);

class S3Client {
 public:
  // Resolves credentials and endpoint; throws std::invalid_argument on bad configuration.
  explicit S3Client(S3Config config);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // Performs req with retries. Returns the final response whatever its status (after
  // retries gave up on a retryable one); throws a Transient BucketError(op, object) when the
  // last attempt failed to connect or transfer, Permanent for TLS verification failures and
  // local file read errors.
  S3Response perform(std::string_view op, std::string_view object, const S3Request& req);

  const S3Config& config() const { return config_; }
  const S3Endpoint& endpoint() const { return endpoint_; }
  const std::string& credentialSource() const { return creds_.source; }

 private:
  void* acquire();
  void release(void* handle);
  // One attempt; returns the libcurl code, fills resp.
  int attempt(void* handle, const S3Request& req, const std::string& url,
              const std::string& payload_hash, S3Response& resp, std::string& curl_error);

  S3Config config_;
  S3Credentials creds_;
  S3Endpoint endpoint_;
  std::string sigv4_;
  std::mutex mu_;
  std::vector<void*> pool_;
};

}  // namespace strata::bucket
