#include "http_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace strata::rwexporter {
namespace {

constexpr size_t kMaxErrorBody = 512;

// XFERINFODATA is &abort_: the address of the flag pointer, stable for the sender's life.
int onProgress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* flag = *static_cast<const std::atomic<bool>**>(data);
  return flag && flag->load() ? 1 : 0;
}

// Whether a raw header line starts with `name` (lowercase, with the colon).
bool headerIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  return true;
}

}  // namespace

HttpSender::HttpSender(const ExporterConfig& c) {
  http_client::ensureCurlGlobalInit();
  CURL* h = curl_easy_init();
  if (!h) throw std::runtime_error("curl_easy_init failed");
  curl_ = h;
  if (c.v2()) {
    request_.addHeader("Content-Type: application/x-protobuf;proto=io.prometheus.write.v2.Request");
    request_.addHeader("X-Prometheus-Remote-Write-Version: 2.0.0");
  } else {
    request_.addHeader("Content-Type: application/x-protobuf");
    request_.addHeader("X-Prometheus-Remote-Write-Version: 0.1.0");
  }
  request_.addHeader("Content-Encoding: snappy");
  request_.addHeader("User-Agent: strata-remote-write/0.1");
  request_.addHeader("Expect:");  // no 100-continue round trip for bodies over 1 KiB
  // The secret files are read once, here (at start and when a reload rebuilds the exporter).
  http_client::HttpClientOptions http = c.http;
  http.timeout_ms = c.remote_timeout.count();
  http.connect_timeout_ms = std::min<int64_t>(c.remote_timeout.count(), 10000);
  std::string error;
  if (!http_client::applyToCurl(h, http, c.url, &request_, &error)) {
    curl_easy_cleanup(h);
    curl_ = nullptr;
    throw std::runtime_error(error);
  }
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM-based DNS timeouts
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buf_);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &HttpSender::onBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &HttpSender::onHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, this);
  // So stop() need not wait out remote_timeout on a hung peer.
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, &onProgress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &abort_);
}

HttpSender::~HttpSender() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

size_t HttpSender::onBody(char* data, size_t size, size_t n, void* self) {
  auto* s = static_cast<HttpSender*>(self);
  size_t room = kMaxErrorBody - std::min(kMaxErrorBody, s->response_.size());
  s->response_.append(data, std::min(room, size * n));
  return size * n;
}

size_t HttpSender::onHeader(char* data, size_t size, size_t n, void* self) {
  std::string line(data, size * n);
  auto* sender = static_cast<HttpSender*>(self);
  // Only the delay-seconds form of Retry-After; an HTTP date falls back to our own backoff.
  if (headerIs(line, "retry-after:")) {
    long secs = std::strtol(line.c_str() + 12, nullptr, 10);
    if (secs > 0) sender->retry_after_ = std::chrono::seconds(secs);
  }
  constexpr std::string_view kWritten = "x-prometheus-remote-write-samples-written:";
  if (headerIs(line, kWritten)) {
    const char* start = line.c_str() + kWritten.size();
    char* end = nullptr;
    long long v = std::strtoll(start, &end, 10);
    if (end != start && v >= 0) sender->samples_written_ = v;
  }
  return size * n;
}

SendResult HttpSender::post(const std::string& body) {
  CURL* h = static_cast<CURL*>(curl_);
  response_.clear();
  retry_after_ = std::chrono::milliseconds(0);
  samples_written_ = -1;
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  SendResult r;
  error_buf_[0] = 0;
  CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    // The detailed message (e.g. which name the certificate does not match) when curl has one.
    r.error = error_buf_[0] ? error_buf_ : curl_easy_strerror(code);
    return r;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
  r.retry_after = retry_after_;
  r.samples_written = samples_written_;
  if (!r.ok()) r.error = response_;
  return r;
}

}  // namespace strata::rwexporter
