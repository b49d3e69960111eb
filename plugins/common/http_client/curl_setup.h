// Applies HttpClientOptions to a libcurl easy handle: URL (rewritten for tls_config.server_name,
// see tls_server_name/server_name_route.h), headers, basic auth, the Authorization header, TLS
// files, proxy, redirects and timeouts.
//
// password_file and credentials_file are read by each applyToCurl call: a client that re-reads
// them per request (scrape, as Prometheus) applies per request, one that reads them once (the
// remote write exporter, at start) applies once and reuses the handle.
#pragma once

#include <curl/curl.h>

#include <string>

#include "http_client/http_client_options.h"

namespace strata::http_client {

// curl_global_init, once per process; every client calls it before curl_easy_init.
void ensureCurlGlobalInit();

// What libcurl keeps pointers to after applyToCurl (the header and CONNECT_TO lists, the URL):
// it must outlive every transfer made with the options it holds. THREAD: one user at a time.
class CurlRequest {
 public:
  CurlRequest() = default;
  ~CurlRequest();
  CurlRequest(const CurlRequest&) = delete;
  CurlRequest& operator=(const CurlRequest&) = delete;

  // A header line ("Name: value") of the caller's own (Content-Type, Accept, ...); sent before
  // the configured headers. Call before applyToCurl.
  void addHeader(const std::string& line);
  // The URL requested: the caller's, or rewritten for tls_config.server_name.
  const std::string& url() const { return url_; }

 private:
  friend bool applyToCurl(CURL*, const HttpClientOptions&, const std::string&, CurlRequest*,
                          std::string*);
  curl_slist* headers_ = nullptr;
  curl_slist* connect_to_ = nullptr;
  std::string url_;
};

// Sets on `curl`: CURLOPT_URL (`url`, routed via tls_config.server_name), CURLOPT_HTTPHEADER
// (`request`'s headers, then options.headers, Authorization, and Host for a server name),
// basic auth, CA/client certificate/key files, insecure_skip_verify, proxy_url,
// follow_redirects and the timeouts. Reads the secret files now. On failure (an unreadable
// secret file, a URL or server name libcurl refuses) returns false with *error, which names the
// file or URL and never holds a secret. Call once per `request`.
bool applyToCurl(CURL* curl, const HttpClientOptions& options, const std::string& url,
                 CurlRequest* request, std::string* error);

}  // namespace strata::http_client
