// HTTP/1.1 responses as the bytes the event loop writes: a Content-Length for a response sent
// whole; a streamed response (strata_http_response.begin/write/end) is chunked, or for an
// HTTP/1.0 client unframed and ended by closing the connection.
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
  bool chunked = false;    // streamed: Transfer-Encoding: chunked instead of a length
  bool unframed = false;   // streamed to HTTP/1.0: no length, the close ends the body
};

std::string_view reasonPhrase(int status);

// Headers that define the framing (Content-Length, Transfer-Encoding, Connection) are the
// server's; a handler's copies of them are dropped.
std::string serializeResponse(const ResponseHead& head, std::string_view body);

// One chunk of a chunked body ("" for an empty `data`: never the terminating chunk).
std::string chunkBytes(std::string_view data);
// The end of a chunked body.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

// A plain-text answer the server gives itself (errors, refusals). 503s carry Retry-After.
std::string simpleResponse(int status, std::string_view text, bool keep_alive);

}  // namespace strata::http
