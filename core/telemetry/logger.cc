#include "core/telemetry/logger.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace strata::telemetry {
namespace {

std::atomic<int> g_level{STRATA_LOG_INFO};
std::mutex g_write_mu;

const char* levelName(strata_log_level level) {
  switch (level) {
    case STRATA_LOG_DEBUG:
      return "debug";
    case STRATA_LOG_INFO:
      return "info";
    case STRATA_LOG_WARN:
      return "warn";
    case STRATA_LOG_ERROR:
      return "error";
  }
  return "info";
}

// logfmt needs quotes around a value that is empty or holds a space, '=', '"' or a control
// character; inside quotes, backslash, quote and control characters are escaped.
bool needsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (unsigned char c : v)
    if (c <= ' ' || c == '=' || c == '"' || c == 0x7f) return true;
  return false;
}

void appendValue(std::string& out, std::string_view v) {
  if (!needsQuotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (unsigned char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Keys are never quoted in logfmt, so characters that would break the pair become '_'.
void appendKey(std::string& out, std::string_view k) {
  if (k.empty()) {
    out += '_';
    return;
  }
  for (unsigned char c : k) out += (c <= ' ' || c == '=' || c == '"' || c == 0x7f) ? '_' : c;
}

void appendPair(std::string& out, std::string_view k, std::string_view v) {
  if (!out.empty()) out += ' ';
  appendKey(out, k);
  out += '=';
  appendValue(out, v);
}

std::string timestampNow() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];  // roomy: the compiler cannot bound tm's fields
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

std::string formatLogLine(strata_log_level level, std::string_view component,
                          std::string_view message, const LogFields& fields) {
  std::string out;
  appendPair(out, "ts", timestampNow());
  appendPair(out, "level", levelName(level));
  if (!component.empty()) appendPair(out, "component", component);
  appendPair(out, "msg", message);
  for (const auto& [k, v] : fields) appendPair(out, k, v);
  return out;
}

void log(strata_log_level level, std::string_view component, std::string_view message,
         const LogFields& fields) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  std::string line = formatLogLine(level, component, message, fields);
  line += '\n';
  // One write(2) per line under a lock: lines from concurrent threads never interleave, and
  // stderr's own buffering is bypassed so a crash right after loses nothing logged.
  std::lock_guard lock(g_write_mu);
  const char* p = line.data();
  size_t left = line.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) break;
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void setLogLevel(strata_log_level level) { g_level.store(level, std::memory_order_relaxed); }

bool parseLogLevel(std::string_view text, strata_log_level* out) {
  static constexpr std::pair<std::string_view, strata_log_level> kNames[] = {
      {"debug", STRATA_LOG_DEBUG},
      {"info", STRATA_LOG_INFO},
      {"warn", STRATA_LOG_WARN},
      {"warning", STRATA_LOG_WARN},
      {"error", STRATA_LOG_ERROR}};
  for (const auto& [name, level] : kNames) {
    if (text == name) {
      *out = level;
      return true;
    }
  }
  return false;
}

}  // namespace strata::telemetry
