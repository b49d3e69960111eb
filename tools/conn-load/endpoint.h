// An http:// URL resolved once, at start, to the socket address every connection dials.
#pragma once

#include <sys/socket.h>

#include <string>

namespace strata::connload {

struct Endpoint {
  std::string url;     // as given
  std::string host;    // Host header: host[:port] as written in the URL
  std::string target;  // request target: path and query, "/" when the URL has none
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
};

// Parses `http://host[:port][/path][?query]` (host may be a name, IPv4 or [IPv6]) and resolves
// it. False with `error` set when the URL is not plain http or the host does not resolve.
bool resolveEndpoint(const std::string& url, Endpoint* out, std::string* error);

}  // namespace strata::connload
