// An incremental HTTP/1.1 request parser: fed whatever bytes arrived, it says whether it needs
// more, has the headers (so the server can pick the route and its body limit before reading
// the body), has the whole request, or refuses it with a status and a message that names the
// problem. Content-Length and chunked bodies; no pipelining state beyond "bytes left over".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::http {

struct ParsedRequest {
  std::string method;
  std::string target;                                        // origin-form: path and query, as sent
  int version_minor = 1;                                     // HTTP/1.<minor>
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  bool keep_alive = true;
  bool expect_continue = false;  // "Expect: 100-continue"
  bool chunked = false;
  std::optional<uint64_t> content_length;

  bool hasBody() const { return chunked || (content_length && *content_length > 0); }
  std::string_view path() const;
  std::string_view query() const;
};

class RequestParser {
 public:
  enum class Step {
    kNeedMore,  // feed more: the unconsumed rest again, with what arrives after it
    kHeaders,   // request line and headers are complete: set the body limit, feed on
    kComplete,  // the request (with its body) is complete; bytes after it were not consumed
    kFailed,    // refuse with errorStatus()/errorMessage(); close the connection afterwards
  };

  explicit RequestParser(size_t max_header_bytes = 64 * 1024, size_t max_headers = 256)
      : max_header_bytes_(max_header_bytes), max_headers_(max_headers) {}

  // Consumes a prefix of `in` and sets *consumed to its length.
  Step parse(std::string_view in, size_t* consumed);
  // Bodies over `limit` bytes fail with 413 (a declared length at once, chunked as it grows).
  void setBodyLimit(size_t limit) { body_limit_ = limit; }

  // True once any byte of the current request arrived (for the header timeout).
  bool started() const { return state_ != State::kIdle; }
  bool inBody() const { return state_ >= State::kBody && state_ != State::kDone; }
  ParsedRequest& request() { return request_; }
  int errorStatus() const { return error_status_; }
  const std::string& errorMessage() const { return error_message_; }
  // Ready for the next request on the same connection.
  void reset();

 private:
  enum class State { kIdle, kHead, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone };

  Step fail(int status, std::string message);
  Step parseHead(std::string_view head);
  Step parseRequestLine(std::string_view line);
  Step parseHeaderLine(std::string_view line);
  // Appends bytes of `in` from *pos to line_ up to a '\n'; true with the whole line in line_
  // (its CR/LF removed). Lines over 4 KiB fail the request.
  bool takeLine(std::string_view in, size_t* pos, bool* too_long);

  size_t max_header_bytes_;
  size_t max_headers_;
  size_t body_limit_ = SIZE_MAX;
  State state_ = State::kIdle;
  size_t head_scanned_ = 0;  // bytes of the head already searched for its end
  uint64_t remaining_ = 0;   // body or chunk bytes still expected
  std::string line_;         // a chunk-size or trailer line split across reads
  size_t trailer_bytes_ = 0;
  ParsedRequest request_;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace strata::http
