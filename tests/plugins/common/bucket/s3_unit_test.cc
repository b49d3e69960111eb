// The s3 backend's pieces without an S3 server: options and credentials, URLs and query
// encoding, the XML documents, HTTP error mapping, and retries against a scripted local HTTP
// server (which also shows what is signed and sent).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bucket/s3_bucket.h"
#include "bucket/s3_config.h"
#include "bucket/s3_request.h"
#include "bucket/s3_uri.h"
#include "bucket/s3_xml.h"

namespace strata::bucket {
namespace {

namespace fs = std::filesystem;
using KV = std::map<std::string, std::string>;

// Sets environment variables for a scope and restores them after.
class EnvGuard {
 public:
  void set(const char* k, const char* v) {
    const char* old = std::getenv(k);
    saved_.push_back({k, old ? std::optional<std::string>(old) : std::nullopt});
    if (v) {
      ::setenv(k, v, 1);
    } else {
      ::unsetenv(k);
    }
  }
  ~EnvGuard() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST(S3Config, DefaultsAndParsing) {
  S3Config c = parseS3Config({{"endpoint", "s3.example.com"}, {"bucket", "blocks"}});
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.max_retries, 5);
  EXPECT_EQ(c.part_size, 64ull << 20);
  EXPECT_EQ(c.part_concurrency, 4);
  EXPECT_FALSE(c.insecure);
  c = parseS3Config({{"endpoint", "http://127.0.0.1:7480"},
                     {"bucket", "b"},
                     {"region", "eu-west-3"},
                     {"insecure", "true"},
                     {"bucket_lookup_type", "virtual-host"},
                     {"connect_timeout", "500ms"},
                     {"idle_timeout", "2m"},
                     {"request_timeout", "1h"},
                     {"max_retries", "0"},
                     {"part_size", "5MiB"},
                     {"part_concurrency", "8"},
                     {"ca_file", "/etc/ca.pem"},
                     {"insecure_skip_verify", "false"}});
  EXPECT_EQ(c.region, "eu-west-3");
  EXPECT_TRUE(c.insecure);
  EXPECT_EQ(c.bucket_lookup_type, BucketLookup::VirtualHost);
  EXPECT_EQ(c.connect_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(c.idle_timeout, std::chrono::minutes(2));
  EXPECT_EQ(c.request_timeout, std::chrono::hours(1));
  EXPECT_EQ(c.max_retries, 0);
  EXPECT_EQ(c.part_size, 5u << 20);
  EXPECT_EQ(c.part_concurrency, 8);
  EXPECT_EQ(c.ca_file, "/etc/ca.pem");
}

TEST(S3Config, BadOptionsNameTheKeyButNeverASecret) {
  auto err = [](const KV& kv) {
    try {
      parseS3Config(kv);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(err({{"bucket", "b"}}).find("endpoint"), std::string::npos);
  EXPECT_NE(err({{"endpoint", "h"}}).find("bucket"), std::string::npos);
  EXPECT_NE(err({{"endpoint", "h"}, {"bucket", "b"}, {"nope", "1"}}).find("nope: unknown"),
            std::string::npos);
  EXPECT_NE(err({{"endpoint", "h"}, {"bucket", "b"}, {"part_size", "1MiB"}}).find("5MiB"),
            std::string::npos);
  EXPECT_NE(err({{"endpoint", "h"}, {"bucket", "b"}, {"max_retries", "x"}}).find("max_retries"),
            std::string::npos);
  EXPECT_NE(err({{"endpoint", "ftp://h"}, {"bucket", "b"}}).find("scheme"), std::string::npos);
  EXPECT_NE(err({{"endpoint", "h/path"}, {"bucket", "b"}}).find("endpoint"), std::string::npos);
  EXPECT_NE(err({{"endpoint", "h"}, {"bucket", "b"}, {"bucket_lookup_type", "dns"}})
                .find("bucket_lookup_type"),
            std::string::npos);
  // No secret value shows up in the error of a bad key next to it.
  std::string e =
      err({{"endpoint", "h"}, {"bucket", "b"}, {"secret_key", "TOPSECRET"}, {"insecure", "maybe"}});
  EXPECT_EQ(e.find("TOPSECRET"), std::string::npos) << e;
}

TEST(S3Config, CredentialPrecedence) {
  EnvGuard env;
  env.set("AWS_ACCESS_KEY_ID", "ENVKEY");
  env.set("AWS_SECRET_ACCESS_KEY", "envsecret");
  env.set("AWS_SESSION_TOKEN", "envtoken");
  env.set("STRATA_TEST_MY_SECRET", "from-var");
  std::string tmpl = (fs::temp_directory_path() / "strata-s3cfg-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  std::ofstream(tmpl + "/ak") << "FILEKEY\n";
  std::ofstream(tmpl + "/sk") << "  filesecret\n";

  KV base{{"endpoint", "h"}, {"bucket", "b"}};
  // Config beats files beats environment.
  KV kv = base;
  kv["access_key"] = "CFGKEY";
  kv["secret_key"] = "${STRATA_TEST_MY_SECRET}";
  kv["access_key_file"] = tmpl + "/ak";
  kv["secret_key_file"] = tmpl + "/sk";
  S3Credentials cr = resolveS3Credentials(parseS3Config(kv));
  EXPECT_EQ(cr.access_key, "CFGKEY");
  EXPECT_EQ(cr.secret_key, "from-var");
  EXPECT_EQ(cr.session_token, "");
  EXPECT_EQ(cr.source, "config");
  kv.erase("access_key");
  kv.erase("secret_key");
  cr = resolveS3Credentials(parseS3Config(kv));
  EXPECT_EQ(cr.access_key, "FILEKEY");
  EXPECT_EQ(cr.secret_key, "filesecret");
  EXPECT_EQ(cr.source, "files");
  cr = resolveS3Credentials(parseS3Config(base));
  EXPECT_EQ(cr.access_key, "ENVKEY");
  EXPECT_EQ(cr.secret_key, "envsecret");
  EXPECT_EQ(cr.session_token, "envtoken");
  EXPECT_EQ(cr.source, "environment");
  // Half a pair, an unreadable file, nothing at all: errors.
  KV half = base;
  half["access_key"] = "K";
  EXPECT_THROW(resolveS3Credentials(parseS3Config(half)), std::invalid_argument);
  KV missing = base;
  missing["access_key_file"] = tmpl + "/none";
  missing["secret_key_file"] = tmpl + "/sk";
  try {
    resolveS3Credentials(parseS3Config(missing));
    ADD_FAILURE() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find(tmpl + "/none"), std::string::npos);
  }
  env.set("AWS_ACCESS_KEY_ID", nullptr);
  EXPECT_THROW(resolveS3Credentials(parseS3Config(base)), std::invalid_argument);
  fs::remove_all(tmpl);
}

TEST(S3Endpoint, AddressingStyleAndUrls) {
  S3Config c;
  c.bucket = "blocks";
  c.endpoint = "127.0.0.1:7480";
  c.insecure = true;
  S3Endpoint e = resolveS3Endpoint(c);
  EXPECT_TRUE(e.path_style);
  EXPECT_EQ(e.url("a b/c+d", ""), "http://127.0.0.1:7480/blocks/a%20b/c%2Bd");
  EXPECT_EQ(e.url("", "list-type=2"), "http://127.0.0.1:7480/blocks?list-type=2");
  c.endpoint = "s3.eu-west-3.amazonaws.com";
  c.insecure = false;
  e = resolveS3Endpoint(c);
  EXPECT_FALSE(e.path_style);
  EXPECT_EQ(e.url("01H/meta.json", ""), "https://blocks.s3.eu-west-3.amazonaws.com/01H/meta.json");
  EXPECT_EQ(e.describe(), "https://blocks.s3.eu-west-3.amazonaws.com/");
  c.endpoint = "https://localhost:9000";
  EXPECT_TRUE(resolveS3Endpoint(c).path_style);
  c.endpoint = "[::1]:9000";
  e = resolveS3Endpoint(c);
  EXPECT_TRUE(e.path_style);
  EXPECT_EQ(e.url("k", ""), "https://[::1]:9000/blocks/k");
  c.endpoint = "minio.local:9000";
  c.bucket_lookup_type = BucketLookup::Path;
  EXPECT_EQ(resolveS3Endpoint(c).url("k", ""), "https://minio.local:9000/blocks/k");
  c.endpoint = "127.0.0.1";
  c.bucket_lookup_type = BucketLookup::VirtualHost;
  EXPECT_FALSE(resolveS3Endpoint(c).path_style);
}

TEST(S3Uri, EncodingAndSortedQuery) {
  EXPECT_EQ(s3UriEncode("AZaz09-._~", false), "AZaz09-._~");
  EXPECT_EQ(s3UriEncode("a/b c=d&é", false), "a%2Fb%20c%3Dd%26%C3%A9");
  EXPECT_EQ(s3UriEncode("a/b c", true), "a/b%20c");
  EXPECT_EQ(s3CanonicalQuery({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(s3CanonicalQuery({{"prefix", "dir/"},
                              {"list-type", "2"},
                              {"delimiter", "/"},
                              {"continuation-token", "a+b=="}}),
            "continuation-token=a%2Bb%3D%3D&delimiter=%2F&list-type=2&prefix=dir%2F");
  EXPECT_EQ(s3CanonicalQuery({{"uploadId", "x"}, {"partNumber", "10"}}),
            "partNumber=10&uploadId=x");
}

TEST(S3Xml, ListPage) {
  const char* doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix>a/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>a/x&amp;y&lt;z&#62;&#x41;</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified>
    <ETag>&quot;abc&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>a/y</Key><Owner><ID>o</ID></Owner></Contents>
  <CommonPrefixes><Prefix>a/dir/</Prefix></CommonPrefixes>
  <EmptyTag/>
</ListBucketResult>)";
  auto p = parseS3ListPage(doc);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->keys, (std::vector<std::string>{"a/x&y<z>A", "a/y"}));
  EXPECT_EQ(p->prefixes, (std::vector<std::string>{"a/dir/"}));
  EXPECT_TRUE(p->truncated);
  EXPECT_EQ(p->next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  EXPECT_FALSE(parseS3ListPage("<ListBucketResult><Contents><Key>a</Key></Contents>"));
  EXPECT_FALSE(parseS3ListPage("<Error><Code>x</Code></Error>"));
  EXPECT_FALSE(parseS3ListPage("<A>&bogus;</A>"));
}

TEST(S3Xml, ErrorUploadIdAndCompleteBody) {
  auto e = parseS3Error(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does "
      "not exist.</Message><Key>k</Key><RequestId>r</RequestId></Error>");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, "NoSuchKey");
  EXPECT_EQ(e->message, "The specified key does not exist.");
  EXPECT_FALSE(parseS3Error("<html>502 Bad Gateway</html>"));
  EXPECT_FALSE(parseS3Error(""));
  EXPECT_EQ(parseS3UploadId("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                            "<UploadId>2~abc</UploadId></InitiateMultipartUploadResult>"),
            "2~abc");
  EXPECT_FALSE(parseS3UploadId("<InitiateMultipartUploadResult/>"));
  EXPECT_EQ(s3CompleteMultipartBody({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;"
            "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

S3Response response(long status, const std::string& body) {
  S3Response r;
  r.status = status;
  r.body.assign(body.begin(), body.end());
  return r;
}

std::string errorDoc(const std::string& code, const std::string& msg) {
  return "<Error><Code>" + code + "</Code><Message>" + msg + "</Message></Error>";
}

TEST(S3Errors, KindsAndMessages) {
  auto err = [](long status, const std::string& body) {
    return s3HttpError("get", "x", response(status, body), "blocks");
  };
  BucketError e = err(403, errorDoc("SignatureDoesNotMatch", "The signature does not match"));
  EXPECT_EQ(e.kind(), ErrorKind::Unauthorized);
  EXPECT_STREQ(e.what(),
               "bucket get \"x\": credentials rejected: 403 SignatureDoesNotMatch: The signature "
               "does not match");
  EXPECT_EQ(err(403, errorDoc("InvalidAccessKeyId", "")).kind(), ErrorKind::Unauthorized);
  EXPECT_EQ(err(403, errorDoc("AccessDenied", "Access Denied")).kind(), ErrorKind::Forbidden);
  EXPECT_EQ(err(403, "").kind(), ErrorKind::Forbidden);
  EXPECT_STREQ(err(403, "").what(), "bucket get \"x\": 403 (no error body)");
  EXPECT_EQ(err(401, "").kind(), ErrorKind::Unauthorized);
  EXPECT_EQ(err(404, errorDoc("NoSuchKey", "")).kind(), ErrorKind::NotFound);
  e = err(404, errorDoc("NoSuchBucket", "The specified bucket does not exist"));
  EXPECT_EQ(e.kind(), ErrorKind::Permanent);
  EXPECT_NE(std::string(e.what()).find("bucket \"blocks\" does not exist"), std::string::npos);
  e = err(403, errorDoc("RequestTimeTooSkewed", "too skewed"));
  EXPECT_EQ(e.kind(), ErrorKind::Permanent);
  EXPECT_NE(std::string(e.what()).find("clock is skewed"), std::string::npos);
  EXPECT_EQ(err(500, errorDoc("InternalError", "")).kind(), ErrorKind::Transient);
  EXPECT_EQ(err(503, errorDoc("SlowDown", "")).kind(), ErrorKind::Transient);
  EXPECT_EQ(err(429, "").kind(), ErrorKind::Transient);
  EXPECT_EQ(err(400, errorDoc("RequestTimeout", "")).kind(), ErrorKind::Transient);
  EXPECT_EQ(err(400, errorDoc("InvalidArgument", "")).kind(), ErrorKind::Permanent);
  EXPECT_EQ(err(409, errorDoc("BucketAlreadyExists", "")).kind(), ErrorKind::Permanent);
  EXPECT_TRUE(s3Retryable(response(502, "<html/>")));
  EXPECT_FALSE(s3Retryable(response(404, "")));
}

// A scripted HTTP server on loopback: answers each connection's requests with the next canned
// response and records the request heads.
class FakeS3 {
 public:
  explicit FakeS3(std::vector<std::string> responses) : responses_(std::move(responses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd_, 16) != 0) {
      throw std::runtime_error("bind");
    }
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeS3() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> l(mu_);
    return requests_;
  }

 private:
  void serve() {
    size_t next = 0;
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string buf;
      char tmp[4096];
      while (!stop_) {  // one request per iteration; the connection may be reused
        size_t end;
        while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
          ssize_t n = ::read(c, tmp, sizeof tmp);
          if (n <= 0) break;
          buf.append(tmp, static_cast<size_t>(n));
        }
        if (end == std::string::npos) break;
        std::string head = buf.substr(0, end + 4);
        size_t body_len = 0;
        std::string lower = head;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (lower.find("expect: 100-continue") != std::string::npos) {
          const char* cont = "HTTP/1.1 100 Continue\r\n\r\n";
          ::write(c, cont, std::strlen(cont));
        }
        if (size_t p = lower.find("content-length:"); p != std::string::npos) {
          body_len = std::stoul(lower.substr(p + 15));
        }
        while (buf.size() < end + 4 + body_len) {
          ssize_t n = ::read(c, tmp, sizeof tmp);
          if (n <= 0) break;
          buf.append(tmp, static_cast<size_t>(n));
        }
        buf.erase(0, std::min(buf.size(), end + 4 + body_len));
        {
          std::lock_guard<std::mutex> l(mu_);
          requests_.push_back(head);
        }
        std::string r = next < responses_.size() ? responses_[next++] : responses_.back();
        if (r.empty()) break;  // "": drop the connection without an answer
        ::write(c, r.data(), r.size());
      }
      ::close(c);
    }
  }

  std::vector<std::string> responses_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

std::string http(int status, const std::string& reason, const std::string& body,
                 const std::string& extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

S3Config fakeConfig(int port) {
  S3Config c;
  c.endpoint = "127.0.0.1:" + std::to_string(port);
  c.insecure = true;
  c.bucket = "blocks";
  c.access_key = "AKIDEXAMPLE";
  c.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.session_token = "TOKEN123";
  c.max_retries = 3;
  c.retry_min_backoff = std::chrono::milliseconds(1);
  c.retry_max_backoff = std::chrono::milliseconds(5);
  return c;
}

TEST(S3Retries, ServerErrorsAndThrottlingAreRetriedThenSucceed) {
  FakeS3 srv({http(503, "Slow Down", errorDoc("SlowDown", "slow")),
              http(500, "Internal", errorDoc("InternalError", "boom")), "",
              http(200, "OK", "payload")});
  S3Bucket b(fakeConfig(srv.port()));
  auto got = b.get("dir/obj");
  EXPECT_EQ(std::string(got.begin(), got.end()), "payload");
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 4u);
  // What is sent and signed: path-style key, our payload hash, the session token, SigV4.
  const std::string& r = reqs.back();
  EXPECT_TRUE(r.starts_with("GET /blocks/dir/obj HTTP/1.1\r\n")) << r;
  EXPECT_NE(r.find("x-amz-content-sha256: "
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("x-amz-security-token: TOKEN123"), std::string::npos) << r;
  EXPECT_NE(r.find("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), std::string::npos)
      << r;
  EXPECT_NE(r.find("/us-east-1/s3/aws4_request"), std::string::npos) << r;
  EXPECT_EQ(r.find("wJalrXUtnFEMI"), std::string::npos);
}

TEST(S3Retries, GiveUpAfterMaxRetriesAsTransient) {
  FakeS3 srv({http(503, "Unavailable", errorDoc("ServiceUnavailable", "down"))});
  S3Bucket b(fakeConfig(srv.port()));
  try {
    b.get("x");
    FAIL() << "no error";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Transient);
    EXPECT_NE(std::string(e.what()).find("503 ServiceUnavailable: down"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(srv.requests().size(), 4u);  // 1 + max_retries
}

TEST(S3Retries, ClientErrorsAreNotRetried) {
  FakeS3 srv({http(403, "Forbidden", errorDoc("AccessDenied", "Access Denied"))});
  S3Bucket b(fakeConfig(srv.port()));
  try {
    b.put("x", std::string("data"));
    FAIL() << "no error";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Forbidden);
    EXPECT_STREQ(e.what(), "bucket put \"x\": 403 AccessDenied: Access Denied");
  }
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 1u);
  // The body's SHA-256 of "data".
  EXPECT_NE(reqs[0].find("x-amz-content-sha256: "
                         "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"),
            std::string::npos)
      << reqs[0];
  EXPECT_TRUE(reqs[0].starts_with("PUT /blocks/x HTTP/1.1")) << reqs[0];
}

TEST(S3Retries, ConnectionRefusedIsTransient) {
  int port;
  {
    FakeS3 probe({http(200, "OK", "")});
    port = probe.port();
  }
  S3Config c = fakeConfig(port);
  c.max_retries = 1;
  S3Bucket b(c);
  try {
    b.exists("x");
    FAIL() << "no error";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Transient);
    EXPECT_NE(std::string(e.what()).find("after 2 attempts"), std::string::npos) << e.what();
  }
}

TEST(S3Retries, ListFollowsContinuationTokensAndEncodesTheQuery) {
  auto page = [](const std::string& keys, const std::string& token) {
    return http(
        200, "OK",
        "<ListBucketResult>" + keys + "<IsTruncated>" + (token.empty() ? "false" : "true") +
            "</IsTruncated>" +
            (token.empty() ? "" : "<NextContinuationToken>" + token + "</NextContinuationToken>") +
            "</ListBucketResult>");
  };
  FakeS3 srv({page("<Contents><Key>p/a</Key></Contents><CommonPrefixes><Prefix>p/d/</Prefix>"
                   "</CommonPrefixes>",
                   "tok/+="),
              page("<Contents><Key>p/e</Key></Contents>", "")});
  S3Bucket b(fakeConfig(srv.port()));
  EXPECT_EQ(b.listAll("p/", "/"), (std::vector<std::string>{"p/a", "p/d/", "p/e"}));
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(
      reqs[0].starts_with("GET /blocks?delimiter=%2F&list-type=2&max-keys=1000&prefix=p%2F "))
      << reqs[0];
  EXPECT_TRUE(reqs[1].starts_with("GET /blocks?continuation-token=tok%2F%2B%3D&delimiter=%2F&"))
      << reqs[1];
}

// A local file of 5 MiB + 1 byte: two parts at the minimum part size.
class MultipartFile {
 public:
  MultipartFile() {
    std::string tmpl = (fs::temp_directory_path() / "strata-s3-mpu-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
    dir_ = tmpl;
    std::ofstream(path(), std::ios::binary) << std::string((5 << 20) + 1, 'p');
  }
  ~MultipartFile() { fs::remove_all(dir_); }
  std::string path() const { return dir_ + "/f"; }

 private:
  std::string dir_;
};

S3Config multipartConfig(int port) {
  S3Config c = fakeConfig(port);
  c.part_size = 5 << 20;
  c.part_concurrency = 1;
  return c;
}

const char* kInitiated =
    "<InitiateMultipartUploadResult><Bucket>blocks</Bucket><Key>big</Key>"
    "<UploadId>up1</UploadId></InitiateMultipartUploadResult>";

TEST(S3Multipart, InitiatePartsComplete) {
  MultipartFile f;
  FakeS3 srv({http(200, "OK", kInitiated), http(200, "OK", "", "ETag: \"e1\"\r\n"),
              http(200, "OK", "", "ETag: \"e2\"\r\n"),
              http(200, "OK",
                   "<CompleteMultipartUploadResult><ETag>\"x-2\"</ETag>"
                   "</CompleteMultipartUploadResult>")});
  S3Bucket b(multipartConfig(srv.port()));
  b.uploadFile("big", f.path());
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_TRUE(reqs[0].starts_with("POST /blocks/big?uploads= ")) << reqs[0];
  EXPECT_TRUE(reqs[1].starts_with("PUT /blocks/big?partNumber=1&uploadId=up1 ")) << reqs[1];
  EXPECT_NE(reqs[1].find("Content-Length: 5242880"), std::string::npos) << reqs[1];
  EXPECT_TRUE(reqs[2].starts_with("PUT /blocks/big?partNumber=2&uploadId=up1 ")) << reqs[2];
  EXPECT_NE(reqs[2].find("Content-Length: 1\r\n"), std::string::npos) << reqs[2];
  // Each part signed with its own SHA-256 (the 1-byte part is "p").
  EXPECT_NE(reqs[2].find("x-amz-content-sha256: "
                         "148de9c5a7a44d19e56cd9ae1a554bf67847afb0c58f6e12fa29ac7ddfca9940"),
            std::string::npos)
      << reqs[2];
  EXPECT_TRUE(reqs[3].starts_with("POST /blocks/big?uploadId=up1 ")) << reqs[3];
}

TEST(S3Multipart, AFailedPartAbortsTheUpload) {
  MultipartFile f;
  FakeS3 srv({http(200, "OK", kInitiated), http(403, "Forbidden", errorDoc("AccessDenied", "no")),
              http(204, "No Content", "")});
  S3Bucket b(multipartConfig(srv.port()));
  try {
    b.uploadFile("big", f.path());
    FAIL() << "no error";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Forbidden) << e.what();
  }
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_TRUE(reqs[2].starts_with("DELETE /blocks/big?uploadId=up1 ")) << reqs[2];
}

TEST(S3Multipart, AnErrorInsideA200CompletionFailsAndAborts) {
  MultipartFile f;
  FakeS3 srv({http(200, "OK", kInitiated), http(200, "OK", "", "ETag: \"e1\"\r\n"),
              http(200, "OK", "", "ETag: \"e2\"\r\n"),
              http(200, "OK", errorDoc("InvalidPart", "part 2 is missing")),
              http(204, "No Content", "")});
  S3Bucket b(multipartConfig(srv.port()));
  try {
    b.uploadFile("big", f.path());
    FAIL() << "no error";
  } catch (const BucketError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Permanent) << e.what();
    EXPECT_NE(std::string(e.what()).find("InvalidPart: part 2 is missing"), std::string::npos)
        << e.what();
  }
  auto reqs = srv.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_TRUE(reqs[4].starts_with("DELETE /blocks/big?uploadId=up1 ")) << reqs[4];
}

TEST(S3Bucket, DescribeNeverShowsCredentials) {
  S3Bucket b(fakeConfig(9));
  EXPECT_EQ(b.describe(), "s3:http://127.0.0.1:9/blocks");
  EXPECT_EQ(b.describe().find("AKIDEXAMPLE"), std::string::npos);
}

}  // namespace
}  // namespace strata::bucket
