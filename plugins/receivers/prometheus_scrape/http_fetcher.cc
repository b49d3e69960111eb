#include "http_fetcher.h"

#include <curl/curl.h>

#include <cstdio>

#include "http_client/curl_setup.h"

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

}  // namespace

HttpFetcher::HttpFetcher() {
  http_client::ensureCurlGlobalInit();
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
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // every encoding curl can decode
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Strata/0.1 (prometheus_scrape)");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &onData);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buf_);
  http_client::CurlRequest request;  // lives until the transfer is done
  request.addHeader(std::string("Accept: ") + kAcceptHeader);
  char timeout_hdr[96];
  snprintf(timeout_hdr, sizeof timeout_hdr, "X-Prometheus-Scrape-Timeout-Seconds: %g",
           static_cast<double>(timeout_ms) / 1000.0);
  request.addHeader(timeout_hdr);
  // The secret files are re-read every scrape, as Prometheus does.
  http_client::HttpClientOptions http = job.http;
  http.timeout_ms = timeout_ms;
  if (!http_client::applyToCurl(c, http, url, &request, &out.error)) return out;
  CURLcode rc = curl_easy_perform(c);
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
