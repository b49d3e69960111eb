#include "http_client/curl_setup.h"

#include <mutex>
#include <stdexcept>

#include "tls_server_name/server_name_route.h"

namespace strata::http_client {

void ensureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlRequest::~CurlRequest() {
  curl_slist_free_all(headers_);
  curl_slist_free_all(connect_to_);
}

void CurlRequest::addHeader(const std::string& line) {
  headers_ = curl_slist_append(headers_, line.c_str());
}

bool applyToCurl(CURL* curl, const HttpClientOptions& o, const std::string& url,
                 CurlRequest* request, std::string* error) {
  std::string credentials, password;
  try {
    credentials = readSecret(o.auth_credentials, o.auth_credentials_file);
    if (o.hasBasicAuth()) password = readSecret(o.basic_password, o.basic_password_file);
  } catch (const std::runtime_error& e) {
    *error = e.what();  // names the file, not its content
    return false;
  }
  std::string route_error;
  auto route = tls::routeViaServerName(url, o.tls.server_name, &route_error);
  if (!route_error.empty()) {
    *error = route_error;
    return false;
  }
  for (const auto& [name, value] : o.headers) request->addHeader(name + ": " + value);
  if (!credentials.empty()) request->addHeader("Authorization: " + o.auth_type + " " + credentials);
  if (route) {
    request->url_ = route->url;
    request->addHeader(route->host_header);
    request->connect_to_ = curl_slist_append(request->connect_to_, route->connect_to.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_TO, request->connect_to_);
  } else {
    request->url_ = url;
  }
  curl_easy_setopt(curl, CURLOPT_URL, request->url_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, request->headers_);
  if (o.hasBasicAuth()) {  // libcurl copies the strings
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, o.basic_username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, password.c_str());
  }
  const TlsOptions& tls = o.tls;
  if (!tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!o.proxy_url.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, o.proxy_url.c_str());
  if (o.follow_redirects) {
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  }
  if (o.timeout_ms > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
  if (o.connect_timeout_ms > 0)
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  return true;
}

}  // namespace strata::http_client
