// HTTP/1.1 responses as the bytes the event loop writes: always a Content-Length, never
// chunked, so the loop needs no state beyond "bytes left to write".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::http {

struct ResponseHead {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // as the handler added them
  bool keep_alive = true;
  bool head_only = false;  // a HEAD request: the length of the body, but no body
};

std::string_view reasonPhrase(int status);

// Headers that define the framing (Content-Length, Transfer-Encoding, Connection) are the
// server's; a handler's copies of them are dropped.
std::string serializeResponse(const ResponseHead& head, std::string_view body);

// A plain-text answer the server gives itself (errors, refusals). 503s carry Retry-After.
std::string simpleResponse(int status, std::string_view text, bool keep_alive);

}  // namespace strata::http
