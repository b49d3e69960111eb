// The S3 server the bucket tests run against when one is given: STRATA_TEST_S3_ENDPOINT,
// STRATA_TEST_S3_BUCKET, STRATA_TEST_S3_ACCESS_KEY, STRATA_TEST_S3_SECRET_KEY and optionally
// STRATA_TEST_S3_REGION (us-east-1) and STRATA_TEST_S3_INSECURE (true: plain http).
// tests/integration/lib/radosgw.sh exports them for a radosgw it starts.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>

#include "bucket/s3_config.h"

namespace strata::bucket::testing {

inline std::optional<S3Config> s3ConfigFromEnv() {
  auto env = [](const char* n) {
    const char* v = std::getenv(n);
    return std::string(v ? v : "");
  };
  S3Config c;
  c.endpoint = env("STRATA_TEST_S3_ENDPOINT");
  c.bucket = env("STRATA_TEST_S3_BUCKET");
  c.access_key = env("STRATA_TEST_S3_ACCESS_KEY");
  c.secret_key = env("STRATA_TEST_S3_SECRET_KEY");
  if (c.endpoint.empty() || c.bucket.empty() || c.access_key.empty() || c.secret_key.empty()) {
    return std::nullopt;
  }
  if (std::string r = env("STRATA_TEST_S3_REGION"); !r.empty()) c.region = r;
  c.insecure = env("STRATA_TEST_S3_INSECURE") == "true";
  c.max_retries = 2;
  c.retry_min_backoff = std::chrono::milliseconds(20);
  return c;
}

}  // namespace strata::bucket::testing
