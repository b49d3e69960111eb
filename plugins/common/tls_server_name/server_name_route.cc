#include "server_name_route.h"

#include <curl/curl.h>

#include <memory>

namespace strata::tls {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using Url = std::unique_ptr<CURLU, UrlDeleter>;

// A URL part as a std::string; nullopt when absent.
std::optional<std::string> part(CURLU* u, CURLUPart which, unsigned flags) {
  char* p = nullptr;
  if (curl_url_get(u, which, &p, flags) != CURLUE_OK || !p) return std::nullopt;
  std::string s(p);
  curl_free(p);
  return s;
}

}  // namespace

std::optional<ServerNameRoute> routeViaServerName(const std::string& url,
                                                  const std::string& server_name,
                                                  std::string* error) {
  if (server_name.empty()) return std::nullopt;
  Url u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    *error = "cannot parse URL " + url;
    return std::nullopt;
  }
  auto scheme = part(u.get(), CURLUPART_SCHEME, 0);
  if (!scheme || *scheme != "https") return std::nullopt;
  auto host = part(u.get(), CURLUPART_HOST, 0);  // an IPv6 address comes in brackets
  auto port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!host || !port) {
    *error = "URL without host " + url;
    return std::nullopt;
  }
  auto explicit_port = part(u.get(), CURLUPART_PORT, 0);
  // An IPv6 literal as server name needs brackets in a URL and in a CONNECT_TO entry.
  std::string name = server_name;
  if (name.find(':') != std::string::npos && name.front() != '[') name = "[" + name + "]";
  if (curl_url_set(u.get(), CURLUPART_HOST, name.c_str(), 0) != CURLUE_OK) {
    *error = "invalid tls_config.server_name " + server_name;
    return std::nullopt;
  }
  auto rewritten = part(u.get(), CURLUPART_URL, 0);
  if (!rewritten) {
    *error = "cannot rewrite URL " + url + " for server name " + server_name;
    return std::nullopt;
  }
  ServerNameRoute r;
  r.url = *rewritten;
  r.connect_to = name + ":" + *port + ":" + *host + ":" + *port;
  r.host_header = "Host: " + *host + (explicit_port ? ":" + *explicit_port : "");
  return r;
}

}  // namespace strata::tls
