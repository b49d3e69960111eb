// Incremental HTTP/1.1 response parser for one request at a time: status line, headers, then a
// body framed by Content-Length, chunked transfer coding, or (neither) the end of the
// connection. Interim 1xx responses are skipped. Only the first bytes of a body are kept, for
// error messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strata::connload {

class ResponseParser {
 public:
  enum class Result { kNeedMore, kDone, kError };

  // Starts a new response (drops anything buffered).
  void reset();
  // Feeds received bytes. After kDone, status() etc. describe the response and leftover()
  // tells how many fed bytes came after it (a server must not send any).
  Result feed(std::string_view bytes);
  // The peer closed the connection: completes a body that runs to the end of the connection.
  Result finish();

  int status() const { return status_; }
  bool keepAlive() const { return keep_alive_; }
  const std::string& bodyStart() const { return body_; }
  size_t leftover() const { return buf_.size() - pos_; }
  bool started() const { return !buf_.empty() || state_ != State::kHead; }
  const std::string& error() const { return error_; }

 private:
  enum class State {
    kHead,
    kBody,
    kUntilClose,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailers,
    kDone
  };
  Result parse();
  Result fail(std::string why);
  bool parseHead(std::string_view head);
  void keepBody(std::string_view bytes);
  // The next CRLF-terminated line from pos_, or false when it has not fully arrived.
  bool nextLine(std::string_view* line);

  std::string buf_;
  size_t pos_ = 0;
  State state_ = State::kHead;
  int status_ = 0;
  bool keep_alive_ = true;
  uint64_t remaining_ = 0;
  std::string body_;
  std::string error_;
};

}  // namespace strata::connload
