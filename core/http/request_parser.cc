#include "core/http/request_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace strata::http {
namespace {

constexpr size_t kMaxLine = 4096;

bool isTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Calls fn for each comma-separated, trimmed, non-empty element of a header value.
template <typename Fn>
void forEachElement(std::string_view value, Fn fn) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = trim(value.substr(0, comma));
    if (!item.empty()) fn(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
  if (s.size() > 64) out += "...";
  return out;
}

}  // namespace

std::string_view ParsedRequest::path() const {
  std::string_view t(target);
  return t.substr(0, t.find('?'));
}

std::string_view ParsedRequest::query() const {
  std::string_view t(target);
  size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

void RequestParser::reset() {
  state_ = State::kIdle;
  head_scanned_ = 0;
  remaining_ = 0;
  line_.clear();
  trailer_bytes_ = 0;
  body_limit_ = SIZE_MAX;
  request_ = ParsedRequest{};
  error_status_ = 0;
  error_message_.clear();
}

RequestParser::Step RequestParser::fail(int status, std::string message) {
  error_status_ = status;
  error_message_ = std::move(message);
  return Step::kFailed;
}

bool RequestParser::takeLine(std::string_view in, size_t* pos, bool* too_long) {
  size_t nl = in.find('\n', *pos);
  size_t end = nl == std::string_view::npos ? in.size() : nl;
  line_.append(in.substr(*pos, end - *pos));
  *pos = nl == std::string_view::npos ? in.size() : nl + 1;
  if (line_.size() > kMaxLine) {
    *too_long = true;
    return false;
  }
  if (nl == std::string_view::npos) return false;
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  return true;
}

RequestParser::Step RequestParser::parse(std::string_view in, size_t* consumed) {
  size_t pos = 0;
  *consumed = 0;
  for (;;) {
    switch (state_) {
      case State::kIdle:
        // Empty lines before a request are ignored (RFC 9112 section 2.2).
        while (pos < in.size() && (in[pos] == '\r' || in[pos] == '\n')) ++pos;
        *consumed = pos;
        if (pos == in.size()) return Step::kNeedMore;
        state_ = State::kHead;
        head_scanned_ = 0;
        break;

      case State::kHead: {
        std::string_view rest = in.substr(pos);
        size_t from = head_scanned_ > 2 ? head_scanned_ - 2 : 0;
        size_t end = std::string_view::npos;
        for (size_t i = rest.find('\n', from); i != std::string_view::npos;
             i = rest.find('\n', i + 1)) {
          if (i + 1 < rest.size() && rest[i + 1] == '\n') {
            end = i + 2;
            break;
          }
          if (i + 2 < rest.size() && rest[i + 1] == '\r' && rest[i + 2] == '\n') {
            end = i + 3;
            break;
          }
        }
        if (end == std::string_view::npos) {
          if (rest.size() > max_header_bytes_)
            return fail(431, "request line and headers larger than " +
                                 std::to_string(max_header_bytes_) + " bytes");
          head_scanned_ = rest.size();
          return Step::kNeedMore;
        }
        if (end > max_header_bytes_)
          return fail(431, "request line and headers larger than " +
                               std::to_string(max_header_bytes_) + " bytes");
        Step s = parseHead(rest.substr(0, end));
        if (s == Step::kFailed) return s;
        pos += end;
        *consumed = pos;
        return Step::kHeaders;
      }

      case State::kBody: {
        if (*request_.content_length > body_limit_)
          return fail(413, "request body of " + std::to_string(*request_.content_length) +
                               " bytes is larger than the limit of " + std::to_string(body_limit_) +
                               " bytes");
        if (request_.body.empty() && request_.body.capacity() == 0)
          request_.body.reserve(std::min<uint64_t>(remaining_, 16u << 20));
        size_t take = std::min<uint64_t>(remaining_, in.size() - pos);
        request_.body.append(in.substr(pos, take));
        pos += take;
        remaining_ -= take;
        *consumed = pos;
        if (remaining_ > 0) return Step::kNeedMore;
        state_ = State::kDone;
        break;
      }

      case State::kChunkSize: {
        bool too_long = false;
        if (!takeLine(in, &pos, &too_long)) {
          *consumed = pos;
          if (too_long) return fail(400, "chunk size line longer than 4096 bytes");
          return Step::kNeedMore;
        }
        std::string_view text = trim(std::string_view(line_).substr(0, line_.find(';')));
        uint64_t size = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size, 16);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return fail(400, "malformed chunk size \"" + printable(line_) + "\"");
        line_.clear();
        if (size == 0) {
          state_ = State::kTrailers;
          break;
        }
        if (size > body_limit_ || request_.body.size() + size > body_limit_)
          return fail(413, "chunked request body larger than the limit of " +
                               std::to_string(body_limit_) + " bytes");
        remaining_ = size;
        state_ = State::kChunkData;
        break;
      }

      case State::kChunkData: {
        size_t take = std::min<uint64_t>(remaining_, in.size() - pos);
        request_.body.append(in.substr(pos, take));
        pos += take;
        remaining_ -= take;
        *consumed = pos;
        if (remaining_ > 0) return Step::kNeedMore;
        state_ = State::kChunkDataEnd;
        break;
      }

      case State::kChunkDataEnd: {
        bool too_long = false;
        if (!takeLine(in, &pos, &too_long)) {
          *consumed = pos;
          if (too_long) return fail(400, "chunk data longer than its declared size");
          return Step::kNeedMore;
        }
        if (!line_.empty()) return fail(400, "chunk data longer than its declared size");
        state_ = State::kChunkSize;
        break;
      }

      case State::kTrailers: {
        bool too_long = false;
        size_t before = pos;
        bool whole = takeLine(in, &pos, &too_long);
        trailer_bytes_ += pos - before;
        *consumed = pos;
        if (too_long || trailer_bytes_ > max_header_bytes_)
          return fail(
              431, "chunked trailers larger than " + std::to_string(max_header_bytes_) + " bytes");
        if (!whole) return Step::kNeedMore;
        bool last = line_.empty();
        line_.clear();
        if (last) state_ = State::kDone;  // trailer fields themselves are ignored
        break;
      }

      case State::kDone:
        *consumed = pos;
        return Step::kComplete;
    }
  }
}

RequestParser::Step RequestParser::parseHead(std::string_view head) {
  bool first = true;
  size_t count = 0;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl == std::string_view::npos ? head.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the head
    if (line.find('\0') != std::string_view::npos) return fail(400, "NUL byte in request head");
    Step s;
    if (first) {
      s = parseRequestLine(line);
      first = false;
    } else {
      if (++count > max_headers_)
        return fail(431, "more than " + std::to_string(max_headers_) + " header fields");
      s = parseHeaderLine(line);
    }
    if (s == Step::kFailed) return s;
  }
  // Semantics of the framing headers.
  if (request_.chunked && request_.content_length)
    return fail(400, "both Transfer-Encoding and Content-Length are set");
  if (request_.version_minor == 0 && request_.chunked)
    return fail(400, "chunked Transfer-Encoding in an HTTP/1.0 request");
  if (request_.chunked)
    state_ = State::kChunkSize;
  else if (request_.content_length && *request_.content_length > 0)
    state_ = State::kBody;
  else
    state_ = State::kDone;
  remaining_ = request_.content_length.value_or(0);
  return Step::kHeaders;
}

RequestParser::Step RequestParser::parseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return fail(400, "malformed request line \"" + printable(line) + "\"");
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!isToken(method)) return fail(400, "malformed method \"" + printable(method) + "\"");
  if (version == "HTTP/1.1")
    request_.version_minor = 1;
  else if (version == "HTTP/1.0")
    request_.version_minor = 0;
  else if (version.starts_with("HTTP/"))
    return fail(505, "HTTP version \"" + printable(version) + "\" is not supported");
  else
    return fail(400, "malformed HTTP version \"" + printable(version) + "\"");
  // Absolute-form (what a client sends through a proxy) is reduced to origin-form.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() > scheme.size() && iequals(target.substr(0, scheme.size()), scheme)) {
      size_t slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  if (target.empty() || (target[0] != '/' && target != "*"))
    return fail(400, "malformed request target \"" + printable(target) + "\"");
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return fail(400, "control character in request target");
  request_.method = method;
  request_.target = target;
  request_.keep_alive = request_.version_minor == 1;
  return Step::kHeaders;
}

RequestParser::Step RequestParser::parseHeaderLine(std::string_view line) {
  if (line[0] == ' ' || line[0] == '\t')
    return fail(400, "obsolete header line folding is not accepted");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos)
    return fail(400, "header line without a colon: \"" + printable(line) + "\"");
  std::string_view name = line.substr(0, colon);
  if (!isToken(name)) return fail(400, "malformed header name \"" + printable(name) + "\"");
  std::string_view value = trim(line.substr(colon + 1));
  if (iequals(name, "Content-Length")) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
        n > (uint64_t{1} << 62))
      return fail(400, "malformed Content-Length \"" + printable(value) + "\"");
    if (request_.content_length && *request_.content_length != n)
      return fail(400, "conflicting Content-Length headers");
    request_.content_length = n;
  } else if (iequals(name, "Transfer-Encoding")) {
    bool ok = true;
    forEachElement(value, [&](std::string_view coding) {
      if (!iequals(coding, "chunked") || request_.chunked) ok = false;
      request_.chunked = true;
    });
    if (!ok || !request_.chunked)
      return fail(501,
                  "Transfer-Encoding \"" + printable(value) + "\" is not supported (only chunked)");
  } else if (iequals(name, "Connection")) {
    forEachElement(value, [&](std::string_view option) {
      if (iequals(option, "close")) request_.keep_alive = false;
      if (iequals(option, "keep-alive") && request_.version_minor == 0) request_.keep_alive = true;
    });
  } else if (iequals(name, "Expect")) {
    if (!iequals(value, "100-continue"))
      return fail(417, "expectation \"" + printable(value) + "\" is not supported");
    request_.expect_continue = true;
  }
  request_.headers.emplace_back(std::string(name), std::string(value));
  return Step::kHeaders;
}

}  // namespace strata::http
