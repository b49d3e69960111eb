#include "endpoint.h"

#include <netdb.h>

#include <cstring>
#include <string_view>

namespace strata::connload {

bool resolveEndpoint(const std::string& url, Endpoint* out, std::string* error) {
  constexpr std::string_view kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0) {
    *error = "only http:// URLs are supported: " + url;
    return false;
  }
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  out->url = url;
  out->host = authority;
  out->target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (out->target[0] == '?') out->target = "/" + out->target;
  if (authority.empty() || authority.find('@') != std::string::npos) {
    *error = "bad host in URL: " + url;
    return false;
  }
  std::string host, port = "80";
  if (authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string::npos) {
      *error = "bad IPv6 host in URL: " + url;
      return false;
    }
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        *error = "bad host in URL: " + url;
        return false;
      }
      port = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    *error = "bad host or port in URL: " + url;
    return false;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    *error = "cannot resolve " + host + ": " + gai_strerror(rc);
    return false;
  }
  std::memcpy(&out->addr, found->ai_addr, found->ai_addrlen);
  out->addr_len = found->ai_addrlen;
  freeaddrinfo(found);
  return true;
}

}  // namespace strata::connload
