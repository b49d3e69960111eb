#include "http_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "tls_server_name/server_name_route.h"

namespace strata::rwexporter {
namespace {

constexpr size_t kMaxErrorBody = 512;

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

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
  globalInit();
  CURL* h = curl_easy_init();
  if (!h) throw std::runtime_error("curl_easy_init failed");
  curl_ = h;
  auto add = [this](const std::string& line) {
    headers_ = curl_slist_append(headers_, line.c_str());
  };
  if (c.v2()) {
    add("Content-Type: application/x-protobuf;proto=io.prometheus.write.v2.Request");
    add("X-Prometheus-Remote-Write-Version: 2.0.0");
  } else {
    add("Content-Type: application/x-protobuf");
    add("X-Prometheus-Remote-Write-Version: 0.1.0");
  }
  add("Content-Encoding: snappy");
  add("User-Agent: strata-remote-write/0.1");
  add("Expect:");  // no 100-continue round trip for bodies over 1 KiB
  for (const auto& [k, v] : c.headers) add(k + ": " + v);
  std::string credentials = readSecret(c.auth_credentials, c.auth_credentials_file);
  if (!credentials.empty()) add("Authorization: " + c.auth_type + " " + credentials);
  if (!c.basic_username.empty()) {
    basic_user_ = c.basic_username;
    basic_password_ = readSecret(c.basic_password, c.basic_password_file);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERNAME, basic_user_.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, basic_password_.c_str());
  }
  if (!c.tls.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, c.tls.ca_file.c_str());
  if (!c.tls.cert_file.empty()) curl_easy_setopt(h, CURLOPT_SSLCERT, c.tls.cert_file.c_str());
  if (!c.tls.key_file.empty()) curl_easy_setopt(h, CURLOPT_SSLKEY, c.tls.key_file.c_str());
  if (c.tls.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  std::string route_error;
  auto route = tls::routeViaServerName(c.url, c.tls.server_name, &route_error);
  if (!route_error.empty()) throw std::runtime_error(route_error);
  if (route) {
    url_ = route->url;
    add(route->host_header);
    connect_to_ = curl_slist_append(connect_to_, route->connect_to.c_str());
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to_);
  } else {
    url_ = c.url;
  }
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM-based DNS timeouts
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(c.remote_timeout.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(c.remote_timeout.count(), 10000)));
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

HttpSender::~HttpSender() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
  curl_slist_free_all(headers_);
  curl_slist_free_all(connect_to_);
}

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
