// tls_config.server_name for libcurl clients. In Prometheus the server name is sent as SNI and
// the server certificate is verified against it instead of the URL's host, while the TCP
// connection still goes to the URL's host:port and the Host header stays the URL's.
//
// libcurl 7.88 takes SNI and the verified name from the URL's host, so the route rewrites the
// URL to name `server_name`, pins the connection to the real host:port with CURLOPT_CONNECT_TO
// and keeps the original authority in an explicit Host header. Only for https URLs: on plain
// http a server name means nothing (as in Go's net/http).
#pragma once

#include <optional>
#include <string>

namespace strata::tls {

struct ServerNameRoute {
  std::string url;          // the URL with its host replaced by the server name
  std::string connect_to;   // "server_name:port:host:port", an entry for CURLOPT_CONNECT_TO
  std::string host_header;  // "Host: <the original URL's host[:port]>"
};

// The route for `url` with `server_name`; nullopt when there is nothing to do (empty server
// name, or a URL that is not https). Sets *error (and returns nullopt) when the URL or the
// server name cannot be used.
std::optional<ServerNameRoute> routeViaServerName(const std::string& url,
                                                  const std::string& server_name,
                                                  std::string* error);

}  // namespace strata::tls
