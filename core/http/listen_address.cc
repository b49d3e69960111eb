#include "core/http/listen_address.h"

#include <stdexcept>

namespace strata::http {
namespace {

[[noreturn]] void bad(const std::string& text, const std::string& why) {
  throw std::runtime_error("invalid listen address \"" + text + "\": " + why);
}

uint16_t parsePort(const std::string& text, const std::string& port) {
  if (port.empty()) bad(text, "missing port");
  if (port.size() > 5) bad(text, "port out of range");
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') bad(text, "port is not a number");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) bad(text, "port out of range");
  return static_cast<uint16_t>(value);
}

}  // namespace

ListenAddress parseListenAddress(const std::string& text) {
  ListenAddress out;
  std::string port;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos) bad(text, "missing ']'");
    if (close + 1 >= text.size() || text[close + 1] != ':') bad(text, "expected ':' after ']'");
    out.host = text.substr(1, close - 1);
    if (out.host.empty()) bad(text, "empty IPv6 host");
    out.ipv6 = true;
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) bad(text, "expected host:port");
    out.host = text.substr(0, colon);
    if (out.host.find(':') != std::string::npos)
      bad(text, "an IPv6 host must be written in brackets, as [::1]:port");
    if (out.host.empty()) out.host = "0.0.0.0";  // ":port" listens on every IPv4 interface
    port = text.substr(colon + 1);
  }
  out.port = parsePort(text, port);
  return out;
}

}  // namespace strata::http
