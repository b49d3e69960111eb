#include "bucket/bucket.h"

#include <string>

namespace strata::bucket {

namespace {

std::string formatMessage(const std::string& op, const std::string& object,
                          const std::string& detail) {
  std::string m = "bucket " + op;
  if (!object.empty()) m += " \"" + object + "\"";
  return m + ": " + detail;
}

// Shared by names and prefixes: segments separated by '/', none empty, ".", ".." or holding
// the temp-file marker; no NUL; no leading '/'. A prefix may end with '/' (empty last segment).
bool validSegments(std::string_view s, bool allow_trailing_slash) {
  if (s.empty() || s.front() == '/') return false;
  if (s.find('\0') != std::string_view::npos) return false;
  size_t start = 0;
  while (true) {
    size_t end = s.find('/', start);
    bool last = end == std::string_view::npos;
    std::string_view seg = s.substr(start, last ? std::string_view::npos : end - start);
    if (seg.empty()) {
      if (!(allow_trailing_slash && last && start > 0)) return false;
    } else if (seg == "." || seg == "..") {
      return false;
    } else if (seg.find(".strata-tmp.") != std::string_view::npos) {
      return false;
    }
    if (last) return true;
    start = end + 1;
  }
}

}  // namespace

const char* errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::NotFound:
      return "not_found";
    case ErrorKind::Unauthorized:
      return "unauthorized";
    case ErrorKind::Forbidden:
      return "forbidden";
    case ErrorKind::Transient:
      return "transient";
    case ErrorKind::Permanent:
      return "permanent";
  }
  return "unknown";
}

BucketError::BucketError(ErrorKind kind, std::string op, std::string object,
                         const std::string& detail)
    : std::runtime_error(formatMessage(op, object, detail)),
      kind_(kind),
      op_(std::move(op)),
      object_(std::move(object)) {}

bool isValidObjectName(std::string_view name) { return validSegments(name, false); }

bool isValidPrefix(std::string_view prefix) {
  return prefix.empty() || validSegments(prefix, true);
}

namespace {
// Printable form of a refused name: NUL and other control bytes escaped.
std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}
}  // namespace

void checkObjectName(std::string_view op, std::string_view name) {
  if (!isValidObjectName(name)) {
    throw BucketError(ErrorKind::Permanent, std::string(op), printable(name),
                      "invalid object name (want '/'-separated segments, no leading '/', no "
                      "empty, '.' or '..' segment, no NUL, no \".strata-tmp.\")");
  }
}

void checkPrefix(std::string_view op, std::string_view prefix) {
  if (!isValidPrefix(prefix)) {
    throw BucketError(ErrorKind::Permanent, std::string(op), printable(prefix),
                      "invalid list prefix (want '/'-separated segments, no leading '/', no "
                      "empty, '.' or '..' segment, no NUL, no \".strata-tmp.\")");
  }
}

}  // namespace strata::bucket
