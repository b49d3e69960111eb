#include "http_fetcher.h"

#include <curl/curl.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "tls_server_name/server_name_route.h"

namespace strata::scrape {
namespace {

struct Sink {
  std::string* body;
  int64_t limit;
  bool too_big = false;
};

size_t onData(char* p, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  size_t len = size * n;
  if (s->limit > 0 && s->body->size() + len > static_cast<size_t>(s->limit)) {
    s->too_big = true;
    return 0;  // aborts the transfer
  }
  s->body->append(p, len);
  return len;
}

std::string readSecretFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

void ensureCurlInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpFetcher::HttpFetcher() {
  ensureCurlInitialised();
  curl_ = curl_easy_init();
}

HttpFetcher::~HttpFetcher() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

FetchOutcome HttpFetcher::fetch(const JobConfig& job, const std::string& url, int64_t timeout_ms,
                                int64_t body_limit) {
  FetchOutcome out;
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) {
    out.error = "curl_easy_init failed";
    return out;
  }
  curl_easy_reset(c);  // keeps the connection cache, forgets last scrape's options
  body_.clear();
  Sink sink{&body_, body_limit};
  error_buf_[0] = 0;
  std::string route_error;
  auto route = tls::routeViaServerName(url, job.tls.server_name, &route_error);
  if (!route_error.empty()) {
    out.error = route_error;
    return out;
  }
  curl_easy_setopt(c, CURLOPT_URL, route ? route->url.c_str() : url.c_str());
  curl_slist* connect_to = nullptr;
  if (route) {
    connect_to = curl_slist_append(connect_to, route->connect_to.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_to);
  }
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Strata/0.1 (prometheus_scrape)");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buf_);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, (std::string("Accept: ") + kAcceptHeader).c_str());
  char timeout_hdr[96];
  snprintf(timeout_hdr, sizeof timeout_hdr, "X-Prometheus-Scrape-Timeout-Seconds: %g",
           static_cast<double>(timeout_ms) / 1000.0);
  headers = curl_slist_append(headers, timeout_hdr);
  std::string credentials = job.auth_credentials_file.empty()
                                ? job.auth_credentials
                                : readSecretFile(job.auth_credentials_file);
  if (!credentials.empty()) {
    headers =
        curl_slist_append(headers, ("Authorization: " + job.auth_type + " " + credentials).c_str());
  }
  if (route) headers = curl_slist_append(headers, route->host_header.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (!job.basic_user.empty() || !job.basic_password.empty() || !job.basic_password_file.empty()) {
    std::string pw = job.basic_password_file.empty() ? job.basic_password
                                                     : readSecretFile(job.basic_password_file);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, job.basic_user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, pw.c_str());
  }
  const TlsSettings& tls = job.tls;
  if (!tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, tls.key_file.c_str());
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_slist_free_all(connect_to);
  if (sink.too_big) {
    out.error = "body size limit exceeded";
    return out;
  }
  if (rc != CURLE_OK) {
    out.error = error_buf_[0] ? error_buf_ : curl_easy_strerror(rc);
    return out;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    out.error = "server returned HTTP status " + std::to_string(status);
    return out;
  }
  char* ct = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
  out.content_type = ct ? ct : "";
  out.body = body_;
  out.ok = true;
  return out;
}

}  // namespace strata::scrape
