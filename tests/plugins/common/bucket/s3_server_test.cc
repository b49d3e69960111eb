// The s3 backend against a real server (skipped unless STRATA_TEST_S3_* name one; the
// integration test tests/integration/bucket/s3_conformance.sh starts radosgw for them):
// misconfiguration fails fast with a clear error, multipart uploads round-trip.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "bucket/s3_bucket.h"
#include "s3_test_env.h"

namespace strata::bucket {
namespace {

namespace fs = std::filesystem;

class S3Server : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = testing::s3ConfigFromEnv();
    if (!c) GTEST_SKIP() << "no S3 server (STRATA_TEST_S3_ENDPOINT etc. unset)";
    config_ = *c;
    std::mt19937_64 rng(std::random_device{}());
    prefix_ = "server-test-" + std::to_string(rng() % 1000000000) + "/";
  }
  // Runs f, expects a BucketError and returns it.
  template <typename F>
  BucketError errorOf(F&& f) {
    try {
      f();
    } catch (const BucketError& e) {
      return e;
    }
    ADD_FAILURE() << "no BucketError thrown";
    return BucketError(ErrorKind::Transient, "", "", "none");
  }

  S3Config config_;
  std::string prefix_;
};

TEST_F(S3Server, CheckPassesWithGoodConfig) {
  S3Bucket b(config_);
  EXPECT_NO_THROW(b.check());
  EXPECT_EQ(b.describe().find(config_.secret_key), std::string::npos);
  EXPECT_EQ(b.describe().find(config_.access_key), std::string::npos);
}

TEST_F(S3Server, WrongSecretKeyIsUnauthorizedFastAndNeverShowsTheSecret) {
  S3Config c = config_;
  c.secret_key = "wrong-secret-0123456789abcdefghijklmnopq";
  c.max_retries = 5;
  c.retry_min_backoff = std::chrono::milliseconds(500);  // a retry would show in the time
  S3Bucket b(c);
  auto start = std::chrono::steady_clock::now();
  for (auto op : {0, 1, 2}) {
    BucketError e = errorOf([&] {
      if (op == 0) b.check();
      if (op == 1) b.get(prefix_ + "x");
      if (op == 2) b.put(prefix_ + "x", std::string("data"));
    });
    SCOPED_TRACE(e.what());
    EXPECT_TRUE(e.kind() == ErrorKind::Unauthorized || e.kind() == ErrorKind::Forbidden)
        << errorKindName(e.kind());
    EXPECT_NE(std::string(e.what()).find("403"), std::string::npos);
    EXPECT_EQ(std::string(e.what()).find(c.secret_key), std::string::npos);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  BucketError e = errorOf([&] { b.get(prefix_ + "x"); });
  EXPECT_NE(std::string(e.what()).find("SignatureDoesNotMatch"), std::string::npos) << e.what();
}

TEST_F(S3Server, UnknownAccessKeyIsUnauthorized) {
  S3Config c = config_;
  c.access_key = "NOSUCHACCESSKEY00000";
  S3Bucket b(c);
  BucketError e = errorOf([&] { b.check(); });
  EXPECT_EQ(e.kind(), ErrorKind::Unauthorized) << e.what();
  EXPECT_NE(std::string(e.what()).find("InvalidAccessKeyId"), std::string::npos) << e.what();
}

TEST_F(S3Server, MissingBucketIsPermanentAndNamed) {
  S3Config c = config_;
  c.bucket = "strata-no-such-bucket-" + prefix_.substr(12, 6);
  S3Bucket b(c);
  auto start = std::chrono::steady_clock::now();
  for (auto op : {0, 1, 2}) {
    BucketError e = errorOf([&] {
      if (op == 0) b.check();
      if (op == 1) b.get("x");
      if (op == 2) b.put("x", std::string("data"));
    });
    SCOPED_TRACE(e.what());
    EXPECT_EQ(e.kind(), ErrorKind::Permanent);
    EXPECT_NE(std::string(e.what()).find("bucket \"" + c.bucket + "\" does not exist"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("NoSuchBucket"), std::string::npos);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(S3Server, UnreachableEndpointIsTransientAfterBoundedRetries) {
  S3Config c = config_;
  c.endpoint = "127.0.0.1:1";
  c.max_retries = 2;
  c.retry_min_backoff = std::chrono::milliseconds(10);
  S3Bucket b(c);
  BucketError e = errorOf([&] { b.get("x"); });
  EXPECT_EQ(e.kind(), ErrorKind::Transient) << e.what();
  EXPECT_NE(std::string(e.what()).find("after 3 attempts"), std::string::npos) << e.what();
}

// A file above part_size goes multipart (ETag "<md5>-<parts>"), one at or below it does not.
TEST_F(S3Server, MultipartUploadRoundTrips) {
  S3Config c = config_;
  c.part_size = 5 << 20;  // S3's minimum
  c.part_concurrency = 3;
  S3Bucket b(c);
  std::string tmpl = (fs::temp_directory_path() / "strata-s3-mp-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  std::string big((5 << 20) * 3 + 12345, '\0');  // 4 parts, the last one short
  std::mt19937 rng(7);
  for (auto& ch : big) ch = static_cast<char>(rng());
  {
    std::ofstream(tmpl + "/big", std::ios::binary) << big;
    std::ofstream(tmpl + "/small", std::ios::binary) << big.substr(0, 5 << 20);
  }
  b.uploadFile(prefix_ + "big", tmpl + "/big");
  b.uploadFile(prefix_ + "small", tmpl + "/small");
  std::vector<uint8_t> got = b.get(prefix_ + "big");
  ASSERT_EQ(got.size(), big.size());
  size_t first_diff = 0;
  while (first_diff < big.size() && static_cast<char>(got[first_diff]) == big[first_diff]) {
    ++first_diff;
  }
  EXPECT_EQ(first_diff, big.size()) << "first difference at byte " << first_diff;
  EXPECT_EQ(b.attributes(prefix_ + "big").size, big.size());
  std::string etag = b.etag(prefix_ + "big");
  EXPECT_TRUE(etag.ends_with("-4\"") || etag.ends_with("-4")) << etag;
  std::string small_etag = b.etag(prefix_ + "small");
  EXPECT_EQ(small_etag.find('-'), std::string::npos) << small_etag;
  auto range = b.getRange(prefix_ + "big", (5 << 20) - 3, 6);  // across a part boundary
  EXPECT_EQ(std::string(range.begin(), range.end()), big.substr((5 << 20) - 3, 6));
  b.remove(prefix_ + "big");
  b.remove(prefix_ + "small");
  fs::remove_all(tmpl);
}

}  // namespace
}  // namespace strata::bucket
