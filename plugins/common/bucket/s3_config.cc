#include "bucket/s3_config.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "bucket/s3_uri.h"

namespace strata::bucket {

namespace {

[[noreturn]] void bad(const std::string& key, const std::string& why) {
  throw std::invalid_argument("s3 bucket option " + key + ": " + why);
}

bool parseBool(const std::string& key, const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  bad(key, "want true or false, got \"" + v + "\"");
}

// Digits followed by an optional unit; returns the number and leaves the unit in `unit`.
uint64_t parseNumber(const std::string& key, const std::string& v, std::string& unit) {
  size_t i = 0;
  while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
  if (i == 0 || i > 18) bad(key, "want a number with an optional unit, got \"" + v + "\"");
  unit = v.substr(i);
  return std::stoull(v.substr(0, i));
}

std::chrono::milliseconds parseDuration(const std::string& key, const std::string& v) {
  std::string unit;
  uint64_t n = parseNumber(key, v, unit);
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  if (unit == "h") return std::chrono::hours(n);
  bad(key, "want a duration like 500ms, 10s, 2m or 1h, got \"" + v + "\"");
}

uint64_t parseSize(const std::string& key, const std::string& v) {
  std::string unit;
  uint64_t n = parseNumber(key, v, unit);
  if (unit.empty() || unit == "B") return n;
  if (unit == "KiB") return n << 10;
  if (unit == "MiB") return n << 20;
  if (unit == "GiB") return n << 30;
  bad(key, "want a size like 65536, 512KiB, 64MiB or 1GiB, got \"" + v + "\"");
}

int parseInt(const std::string& key, const std::string& v, int min, int max) {
  std::string unit;
  uint64_t n = parseNumber(key, v, unit);
  if (!unit.empty() || n < static_cast<uint64_t>(min) || n > static_cast<uint64_t>(max)) {
    bad(key, "want an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                 "], got \"" + v + "\"");
  }
  return static_cast<int>(n);
}

// "${VAR}" as the whole value: the environment variable (empty when unset).
std::string expandEnv(const std::string& v) {
  if (v.size() > 3 && v.starts_with("${") && v.back() == '}') {
    const char* e = std::getenv(v.substr(2, v.size() - 3).c_str());
    return e ? e : "";
  }
  return v;
}

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string readCredentialFile(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) bad(key, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string v = trim(ss.str());
  if (v.empty()) bad(key, path + " is empty");
  return v;
}

std::string env(const char* name) {
  const char* e = std::getenv(name);
  return e ? e : "";
}

bool isIpOrLocal(const std::string& host) {
  unsigned char buf[16];
  return host == "localhost" || inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

S3Config parseS3Config(const std::map<std::string, std::string>& kv) {
  S3Config c;
  for (const auto& [k, v] : kv) {
    if (k == "endpoint") {
      c.endpoint = v;
    } else if (k == "bucket") {
      c.bucket = v;
    } else if (k == "region") {
      c.region = v;
    } else if (k == "access_key") {
      c.access_key = expandEnv(v);
    } else if (k == "secret_key") {
      c.secret_key = expandEnv(v);
    } else if (k == "session_token") {
      c.session_token = expandEnv(v);
    } else if (k == "access_key_file") {
      c.access_key_file = v;
    } else if (k == "secret_key_file") {
      c.secret_key_file = v;
    } else if (k == "insecure") {
      c.insecure = parseBool(k, v);
    } else if (k == "bucket_lookup_type") {
      if (v == "auto") {
        c.bucket_lookup_type = BucketLookup::Auto;
      } else if (v == "path") {
        c.bucket_lookup_type = BucketLookup::Path;
      } else if (v == "virtual-host") {
        c.bucket_lookup_type = BucketLookup::VirtualHost;
      } else {
        bad(k, "want auto, path or virtual-host, got \"" + v + "\"");
      }
    } else if (k == "ca_file") {
      c.ca_file = v;
    } else if (k == "insecure_skip_verify") {
      c.insecure_skip_verify = parseBool(k, v);
    } else if (k == "connect_timeout") {
      c.connect_timeout = parseDuration(k, v);
    } else if (k == "idle_timeout") {
      c.idle_timeout = parseDuration(k, v);
    } else if (k == "request_timeout") {
      c.request_timeout = parseDuration(k, v);
    } else if (k == "max_retries") {
      c.max_retries = parseInt(k, v, 0, 100);
    } else if (k == "retry_min_backoff") {
      c.retry_min_backoff = parseDuration(k, v);
    } else if (k == "retry_max_backoff") {
      c.retry_max_backoff = parseDuration(k, v);
    } else if (k == "part_size") {
      c.part_size = parseSize(k, v);
      if (c.part_size < (5u << 20)) bad(k, "S3 parts are at least 5MiB");
    } else if (k == "part_concurrency") {
      c.part_concurrency = parseInt(k, v, 1, 64);
    } else if (k == "list_max_keys") {
      c.list_max_keys = parseInt(k, v, 1, 1000);
    } else {
      bad(k, "unknown option");
    }
  }
  if (c.endpoint.empty()) bad("endpoint", "required");
  if (c.bucket.empty()) bad("bucket", "required");
  if (c.region.empty()) bad("region", "must not be empty");
  resolveS3Endpoint(c);  // validates the endpoint
  return c;
}

S3Credentials resolveS3Credentials(const S3Config& c) {
  S3Credentials cr;
  if (!c.access_key.empty() || !c.secret_key.empty()) {
    if (c.access_key.empty()) bad("access_key", "required when secret_key is set");
    if (c.secret_key.empty()) bad("secret_key", "required when access_key is set");
    cr = {c.access_key, c.secret_key, c.session_token, "config"};
  } else if (!c.access_key_file.empty() || !c.secret_key_file.empty()) {
    if (c.access_key_file.empty()) bad("access_key_file", "required with secret_key_file");
    if (c.secret_key_file.empty()) bad("secret_key_file", "required with access_key_file");
    cr = {readCredentialFile("access_key_file", c.access_key_file),
          readCredentialFile("secret_key_file", c.secret_key_file), c.session_token, "files"};
  } else if (!env("AWS_ACCESS_KEY_ID").empty() && !env("AWS_SECRET_ACCESS_KEY").empty()) {
    cr = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN"),
          "environment"};
  } else {
    throw std::invalid_argument(
        "s3 bucket: no credentials (set access_key and secret_key, access_key_file and "
        "secret_key_file, or the AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment "
        "variables)");
  }
  return cr;
}

S3Endpoint resolveS3Endpoint(const S3Config& c) {
  S3Endpoint e;
  e.bucket = c.bucket;
  std::string rest = c.endpoint;
  e.scheme = c.insecure ? "http" : "https";
  if (size_t p = rest.find("://"); p != std::string::npos) {
    e.scheme = rest.substr(0, p);
    rest = rest.substr(p + 3);
    if (e.scheme != "http" && e.scheme != "https") bad("endpoint", "scheme must be http or https");
  }
  while (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty() || rest.find('/') != std::string::npos) {
    bad("endpoint", "want host[:port] or http(s)://host[:port], got \"" + c.endpoint + "\"");
  }
  if (rest.front() == '[') {  // [v6]:port
    size_t close = rest.find(']');
    if (close == std::string::npos) bad("endpoint", "unclosed '[' in \"" + c.endpoint + "\"");
    e.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') bad("endpoint", "junk after ']' in \"" + c.endpoint + "\"");
      e.port = rest.substr(close + 2);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string::npos) {
    e.host = rest.substr(0, colon);
    e.port = rest.substr(colon + 1);
  } else {
    e.host = rest;
  }
  if (e.host.empty()) bad("endpoint", "no host in \"" + c.endpoint + "\"");
  for (char ch : e.port) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) {
      bad("endpoint", "bad port in \"" + c.endpoint + "\"");
    }
  }
  switch (c.bucket_lookup_type) {
    case BucketLookup::Path:
      e.path_style = true;
      break;
    case BucketLookup::VirtualHost:
      e.path_style = false;
      break;
    case BucketLookup::Auto:
      e.path_style = isIpOrLocal(e.host);
      break;
  }
  return e;
}

std::string S3Endpoint::url(const std::string& key, const std::string& query) const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!path_style) h = bucket + "." + h;
  std::string u = scheme + "://" + h + (port.empty() ? "" : ":" + port) + "/";
  if (path_style) u += s3UriEncode(bucket, false) + (key.empty() ? "" : "/");
  u += s3UriEncode(key, true);
  if (!query.empty()) u += "?" + query;
  return u;
}

std::string S3Endpoint::describe() const { return url("", ""); }

}  // namespace strata::bucket
