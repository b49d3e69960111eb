// Configuration of the `s3` bucket backend: where the bucket is (endpoint, addressing style,
// TLS), how to authenticate (credentials and where they come from), and how hard to try
// (timeouts, retries, multipart). Secrets (secret_key, session_token) are never part of a log
// line, an error message or describe(). docs/bucket.md has the table of options.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace strata::bucket {

enum class BucketLookup {
  Auto,         // path style for IP addresses and localhost, virtual-host style otherwise
  Path,         // http://host:port/bucket/key
  VirtualHost,  // http://bucket.host:port/key
};

struct S3Config {
  std::string endpoint;  // "host:port", "host" or "http(s)://host[:port]" (required)
  std::string bucket;    // required
  std::string region = "us-east-1";
  // Credentials, in order of precedence: access_key/secret_key (+ session_token) given here,
  // else the files access_key_file/secret_key_file (content trimmed), else the environment
  // variables AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN).
  std::string access_key;
  std::string secret_key;     // secret
  std::string session_token;  // secret; sent as x-amz-security-token
  std::string access_key_file;
  std::string secret_key_file;
  bool insecure = false;  // plain http when the endpoint names no scheme
  BucketLookup bucket_lookup_type = BucketLookup::Auto;
  std::string ca_file;                // PEM bundle to verify the server with (default: system)
  bool insecure_skip_verify = false;  // do not verify the server's certificate
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer making no progress (under 1 byte/s) for this long is aborted (Transient).
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds request_timeout{0};  // whole request; 0 = no limit
  int max_retries = 5;                           // retries after the first attempt
  std::chrono::milliseconds retry_min_backoff{100};
  std::chrono::milliseconds retry_max_backoff{10'000};
  uint64_t part_size = 64ull << 20;  // uploadFile above this size goes multipart (min 5 MiB)
  int part_concurrency = 4;          // parts uploaded in parallel
  int list_max_keys = 1000;          // objects per ListObjectsV2 page
};

// Parses the options of docs/bucket.md from key/value strings (durations like "10s", "500ms",
// "2m"; sizes like "5MiB", "65536"; booleans "true"/"false"). Values of the credential keys
// may be "${VAR}", replaced by the environment variable's value. Unknown keys and bad values
// throw std::invalid_argument naming the key (never the value of a secret).
S3Config parseS3Config(const std::map<std::string, std::string>& kv);

struct S3Credentials {
  std::string access_key;
  std::string secret_key;     // secret
  std::string session_token;  // secret, may be empty
  std::string source;         // "config", "files" or "environment" (for logs)
};

// The credentials per the precedence above. Throws std::invalid_argument when none is
// configured or a credential file cannot be read (the message names the file).
S3Credentials resolveS3Credentials(const S3Config& config);

// Where requests go: scheme, host and port from the endpoint, the addressing style decided.
struct S3Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  std::string port;    // may be empty (scheme default)
  bool path_style = true;
  std::string bucket;

  // The URL of an object (empty key: the bucket itself) with an encoded, sorted query.
  std::string url(const std::string& key, const std::string& query) const;
  // "https://host:port/bucket" or "https://bucket.host:port": for describe().
  std::string describe() const;
};

// Throws std::invalid_argument for an endpoint it cannot parse.
S3Endpoint resolveS3Endpoint(const S3Config& config);

}  // namespace strata::bucket
