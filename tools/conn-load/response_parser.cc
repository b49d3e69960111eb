#include "response_parser.h"

#include <algorithm>
#include <cctype>

namespace strata::connload {
namespace {

constexpr size_t kMaxHead = 64 * 1024;
constexpr size_t kKeptBody = 512;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool containsToken(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (equalsIgnoreCase(item, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

bool parseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

void ResponseParser::reset() {
  buf_.clear();
  pos_ = 0;
  state_ = State::kHead;
  status_ = 0;
  keep_alive_ = true;
  remaining_ = 0;
  body_.clear();
  error_.clear();
}

ResponseParser::Result ResponseParser::feed(std::string_view bytes) {
  if (state_ == State::kDone) return Result::kDone;
  // Whatever was consumed is of no further use: keep the buffer small.
  if (pos_ > 0 && pos_ == buf_.size()) {
    buf_.clear();
    pos_ = 0;
  }
  buf_.append(bytes);
  return parse();
}

ResponseParser::Result ResponseParser::finish() {
  if (state_ == State::kUntilClose) {
    state_ = State::kDone;
    return Result::kDone;
  }
  if (state_ == State::kDone) return Result::kDone;
  return fail(started() ? "connection closed in the middle of a response"
                        : "connection closed before a response");
}

ResponseParser::Result ResponseParser::fail(std::string why) {
  error_ = std::move(why);
  return Result::kError;
}

void ResponseParser::keepBody(std::string_view bytes) {
  if (body_.size() < kKeptBody) body_.append(bytes.substr(0, kKeptBody - body_.size()));
}

bool ResponseParser::nextLine(std::string_view* line) {
  size_t end = buf_.find("\r\n", pos_);
  if (end == std::string::npos) return false;
  *line = std::string_view(buf_).substr(pos_, end - pos_);
  pos_ = end + 2;
  return true;
}

bool ResponseParser::parseHead(std::string_view head) {
  size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  // "HTTP/1.1 204 No Content"
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ')
    return false;
  bool http10 = status_line[7] == '0';
  uint64_t code = 0;
  if (!parseDecimal(status_line.substr(9, 3), &code) || code < 100 || code > 999) return false;
  status_ = static_cast<int>(code);
  keep_alive_ = !http10;
  bool chunked = false, has_length = false;
  uint64_t length = 0;
  std::string_view rest = eol == std::string_view::npos ? "" : head.substr(eol + 2);
  while (!rest.empty()) {
    size_t end = rest.find("\r\n");
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (equalsIgnoreCase(name, "content-length")) {
      uint64_t n;
      if (!parseDecimal(value, &n) || (has_length && n != length)) return false;
      has_length = true;
      length = n;
    } else if (equalsIgnoreCase(name, "transfer-encoding")) {
      chunked = containsToken(value, "chunked");
    } else if (equalsIgnoreCase(name, "connection")) {
      if (containsToken(value, "close")) keep_alive_ = false;
      if (containsToken(value, "keep-alive")) keep_alive_ = true;
    }
  }
  if (status_ < 200 || status_ == 204 || status_ == 304) {
    state_ = status_ < 200 ? State::kHead : State::kDone;
  } else if (chunked) {
    state_ = State::kChunkSize;
  } else if (has_length) {
    remaining_ = length;
    state_ = length == 0 ? State::kDone : State::kBody;
  } else {
    state_ = State::kUntilClose;
    keep_alive_ = false;
  }
  return true;
}

ResponseParser::Result ResponseParser::parse() {
  for (;;) {
    switch (state_) {
      case State::kHead: {
        size_t end = buf_.find("\r\n\r\n", pos_);
        if (end == std::string::npos) {
          if (buf_.size() - pos_ > kMaxHead) return fail("response head too large");
          return Result::kNeedMore;
        }
        std::string_view head = std::string_view(buf_).substr(pos_, end - pos_);
        pos_ = end + 4;
        if (!parseHead(head)) return fail("malformed response head");
        if (status_ == 101) return fail("unexpected 101 Switching Protocols");
        break;  // a 1xx stays in kHead and the final response follows
      }
      case State::kBody:
      case State::kChunkData: {
        size_t take = std::min<uint64_t>(remaining_, buf_.size() - pos_);
        keepBody(std::string_view(buf_).substr(pos_, take));
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return Result::kNeedMore;
        state_ = state_ == State::kBody ? State::kDone : State::kChunkEnd;
        break;
      }
      case State::kUntilClose:
        keepBody(std::string_view(buf_).substr(pos_));
        pos_ = buf_.size();
        return Result::kNeedMore;
      case State::kChunkSize: {
        std::string_view line;
        if (!nextLine(&line)) return Result::kNeedMore;
        line = line.substr(0, line.find(';'));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.empty() || line.size() > 15) return fail("bad chunk size");
        uint64_t size = 0;
        for (char c : line) {
          int d =
              std::isxdigit(static_cast<unsigned char>(c))
                  ? (std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10)
                  : -1;
          if (d < 0) return fail("bad chunk size");
          size = size * 16 + d;
        }
        remaining_ = size;
        state_ = size == 0 ? State::kTrailers : State::kChunkData;
        break;
      }
      case State::kChunkEnd:
        if (buf_.size() - pos_ < 2) return Result::kNeedMore;
        if (buf_.compare(pos_, 2, "\r\n") != 0) return fail("bad chunk end");
        pos_ += 2;
        state_ = State::kChunkSize;
        break;
      case State::kTrailers: {
        std::string_view line;
        if (!nextLine(&line)) return Result::kNeedMore;
        if (line.empty()) state_ = State::kDone;
        break;
      }
      case State::kDone:
        return Result::kDone;
    }
  }
}

}  // namespace strata::connload
