#include "bucket/s3_request.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <thread>

#include "bucket/s3_xml.h"

namespace strata::bucket {

namespace {

constexpr size_t kHashBuffer = 1 << 20;
const char* kUnsignedPayload = "UNSIGNED-PAYLOAD";

std::string hex(const unsigned char* p, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[p[i] >> 4];
    out += digits[p[i] & 15];
  }
  return out;
}

struct Sha256 {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Sha256() {
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("EVP sha256 init failed");
    }
  }
  ~Sha256() { EVP_MD_CTX_free(ctx); }
  void update(const void* p, size_t n) { EVP_DigestUpdate(ctx, p, n); }
  std::string hexDigest() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, md, &len);
    return hex(md, len);
  }
};

// pread until n bytes or end of file; returns bytes read or -errno.
ssize_t preadFull(int fd, uint8_t* p, size_t n, uint64_t offset) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, p + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return -errno;
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

std::string fileRangeSha256(std::string_view op, std::string_view object, const S3Request& req) {
  Sha256 h;
  std::vector<uint8_t> buf(kHashBuffer);
  uint64_t done = 0;
  while (done < req.file_length) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(buf.size(), req.file_length - done));
    ssize_t r = preadFull(req.file_fd, buf.data(), n, req.file_offset + done);
    if (r < 0 || static_cast<size_t>(r) != n) {
      throw BucketError(
          ErrorKind::Permanent, std::string(op), std::string(object),
          "read local file: " + std::string(r < 0 ? std::strerror(static_cast<int>(-r))
                                                  : "file shrank while uploading"));
    }
    h.update(buf.data(), n);
    done += n;
  }
  return h.hexDigest();
}

struct Transfer {
  const S3Request* req = nullptr;
  S3Response* resp = nullptr;
  uint64_t sent = 0;
  int read_errno = 0;
  bool in_final_headers = false;
};

size_t onBody(char* p, size_t size, size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  t->resp->body.insert(t->resp->body.end(), reinterpret_cast<uint8_t*>(p),
                       reinterpret_cast<uint8_t*>(p) + size * n);
  return size * n;
}

size_t onHeader(char* p, size_t size, size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  std::string line(p, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue or a redirect)
    t->resp->headers.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string value = line.substr(colon + 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.erase(value.begin());
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.pop_back();
  }
  t->resp->headers[name] = value;
  return size * n;
}

size_t onRead(char* p, size_t size, size_t n, void* ud) {
  auto* t = static_cast<Transfer*>(ud);
  uint64_t left = t->req->file_length - t->sent;
  size_t want = static_cast<size_t>(std::min<uint64_t>(left, size * n));
  if (want == 0) return 0;
  ssize_t r = preadFull(t->req->file_fd, reinterpret_cast<uint8_t*>(p), want,
                        t->req->file_offset + t->sent);
  if (r <= 0) {
    t->read_errno = r < 0 ? static_cast<int>(-r) : EIO;
    return CURL_READFUNC_ABORT;
  }
  t->sent += static_cast<uint64_t>(r);
  return static_cast<size_t>(r);
}

bool connectionProblem(CURLcode c) {
  switch (c) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SEND_FAIL_REWIND:
    case CURLE_WEIRD_SERVER_REPLY:
      return true;
    default:
      return false;
  }
}

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string sha256Hex(std::span<const uint8_t> data) {
  Sha256 h;
  h.update(data.data(), data.size());
  return h.hexDigest();
}

bool s3Retryable(const S3Response& r) {
  if (r.status >= 500 || r.status == 429) return true;
  if (r.status == 400 || r.status == 503) {
    auto e =
        parseS3Error(std::string_view(reinterpret_cast<const char*>(r.body.data()), r.body.size()));
    return e && (e->code == "SlowDown" || e->code == "RequestTimeout");
  }
  return false;
}

BucketError s3HttpError(std::string_view op, std::string_view object, const S3Response& r,
                        const std::string& bucket) {
  auto e =
      parseS3Error(std::string_view(reinterpret_cast<const char*>(r.body.data()), r.body.size()));
  std::string code = e ? e->code : "";
  std::string detail = std::to_string(r.status);
  if (e) {
    detail += " " + e->code + (e->message.empty() ? "" : ": " + e->message);
  } else if (r.body.empty()) {
    detail += " (no error body)";
  } else {
    detail += " (unparsed error body)";
  }
  if (std::string id = r.header("x-amz-request-id"); !id.empty()) {
    detail += " [request id " + id + "]";
  }
  std::string o(op), obj(object);
  if (code == "NoSuchBucket") {
    return BucketError(ErrorKind::Permanent, o, obj,
                       "bucket \"" + bucket + "\" does not exist: " + detail);
  }
  if (code == "RequestTimeTooSkewed") {
    return BucketError(
        ErrorKind::Permanent, o, obj,
        "the local clock is skewed from the server's (fix the clock, e.g. NTP): " + detail);
  }
  if (r.status == 404) return BucketError(ErrorKind::NotFound, o, obj, detail);
  if (r.status == 401 || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch") {
    return BucketError(ErrorKind::Unauthorized, o, obj, "credentials rejected: " + detail);
  }
  if (r.status == 403) return BucketError(ErrorKind::Forbidden, o, obj, detail);
  if (s3Retryable(r)) return BucketError(ErrorKind::Transient, o, obj, detail);
  return BucketError(ErrorKind::Permanent, o, obj, detail);
}

S3Client::S3Client(S3Config config)
    : config_(std::move(config)),
      creds_(resolveS3Credentials(config_)),
      endpoint_(resolveS3Endpoint(config_)),
      sigv4_("aws:amz:" + config_.region + ":s3") {
  globalInit();
}

S3Client::~S3Client() {
  for (void* h : pool_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* S3Client::acquire() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!pool_.empty()) {
      void* h = pool_.back();
      pool_.pop_back();
      return h;
    }
  }
  CURL* h = curl_easy_init();
  if (!h) throw std::runtime_error("curl_easy_init failed");
  return h;
}

void S3Client::release(void* handle) {
  std::lock_guard<std::mutex> l(mu_);
  pool_.push_back(handle);
}

int S3Client::attempt(void* handle, const S3Request& req, const std::string& url,
                      const std::string& payload_hash, S3Response& resp, std::string& curl_error) {
  CURL* h = static_cast<CURL*>(handle);
  curl_easy_reset(h);
  resp = S3Response();
  Transfer t;
  t.req = &req;
  t.resp = &resp;
  char errbuf[CURL_ERROR_SIZE] = {0};

  struct curl_slist* hdrs = nullptr;
  std::string sha = "x-amz-content-sha256: " + payload_hash;
  hdrs = curl_slist_append(hdrs, sha.c_str());
  std::string token;
  if (!creds_.session_token.empty()) {
    token = "x-amz-security-token: " + creds_.session_token;
    hdrs = curl_slist_append(hdrs, token.c_str());
  }
  for (const auto& line : req.headers) hdrs = curl_slist_append(hdrs, line.c_str());

  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4_.c_str());
  curl_easy_setopt(h, CURLOPT_USERNAME, creds_.access_key.c_str());
  curl_easy_setopt(h, CURLOPT_PASSWORD, creds_.secret_key.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout.count()));
  if (config_.request_timeout.count() > 0) {
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout.count()));
  }
  if (config_.idle_timeout.count() > 0) {
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                     std::max<long>(1, static_cast<long>(config_.idle_timeout.count() / 1000)));
  }
  if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (config_.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }

  if (req.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.file_fd >= 0) {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, onRead);
    curl_easy_setopt(h, CURLOPT_READDATA, &t);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.file_length));
    if (req.method != "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method == "PUT" || req.method == "POST") {
    // In-memory bodies go as POSTFIELDS so libcurl's own payload hash (if it computes one)
    // and ours agree.
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(
        h, CURLOPT_POSTFIELDS,
        req.body.data() ? static_cast<const void*>(req.body.data()) : static_cast<const void*>(""));
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
  curl_slist_free_all(hdrs);
  if (rc != CURLE_OK) {
    curl_error =
        std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    if (t.read_errno != 0)
      curl_error = "read local file: " + std::string(std::strerror(t.read_errno));
  }
  return t.read_errno != 0 ? -1 : static_cast<int>(rc);
}

S3Response S3Client::perform(std::string_view op, std::string_view object, const S3Request& req) {
  std::string url = endpoint_.url(req.key, s3CanonicalQuery(req.query));
  std::string payload_hash;
  if (req.file_fd >= 0) {
    payload_hash = req.sign_file_payload ? fileRangeSha256(op, object, req) : kUnsignedPayload;
  } else {
    payload_hash = sha256Hex(req.body);
  }
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string o(op), obj(object);
  for (int n = 0;; ++n) {
    void* h = acquire();
    S3Response resp;
    std::string curl_error;
    int rc;
    try {
      rc = attempt(h, req, url, payload_hash, resp, curl_error);
    } catch (...) {
      release(h);
      throw;
    }
    release(h);
    if (rc == -1) throw BucketError(ErrorKind::Permanent, o, obj, curl_error);
    bool retry = false;
    if (rc != CURLE_OK) {
      CURLcode code = static_cast<CURLcode>(rc);
      if (!connectionProblem(code)) {
        throw BucketError(ErrorKind::Permanent, o, obj,
                          "request to " + endpoint_.describe() + " failed: " + curl_error);
      }
      if (n >= config_.max_retries) {
        throw BucketError(ErrorKind::Transient, o, obj,
                          "request to " + endpoint_.describe() + " failed after " +
                              std::to_string(n + 1) + " attempts: " + curl_error);
      }
      retry = true;
    } else if (s3Retryable(resp) && n < config_.max_retries) {
      retry = true;
    }
    if (!retry) return resp;
    // Full jitter: uniform in [0, min(max, min_backoff * 2^n)].
    std::chrono::milliseconds cap = config_.retry_min_backoff * (1ll << std::min(n, 20));
    cap = std::min(cap, config_.retry_max_backoff);
    std::uniform_int_distribution<long long> d(0, std::max<long long>(0, cap.count()));
    std::this_thread::sleep_for(std::chrono::milliseconds(d(rng)));
  }
}

}  // namespace strata::bucket
