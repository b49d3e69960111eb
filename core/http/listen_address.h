// "host:port" as written in pipeline files: "127.0.0.1:9464", ":9464" (every IPv4 interface),
// "[::1]:9464", "localhost:0" (port 0 picks a free port).
#pragma once

#include <cstdint>
#include <string>

namespace strata::http {

struct ListenAddress {
  std::string host;  // never empty; without brackets for IPv6
  uint16_t port = 0;
  bool ipv6 = false;  // written in brackets
};

// Throws std::runtime_error naming the text and what is wrong with it.
ListenAddress parseListenAddress(const std::string& text);

}  // namespace strata::http
