#include "http_params.h"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/promql/duration.h"

namespace strata::promql_api {
namespace {

std::string_view view(strata_str s) { return {s.data ? s.data : "", s.len}; }

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool isFormBody(const strata_http_request& req) {
  for (size_t i = 0; i < req.header_count; ++i) {
    std::string_view name = view(req.headers[i].name);
    if (name.size() != 12) continue;
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "content-type") continue;
    return view(req.headers[i].value).starts_with("application/x-www-form-urlencoded");
  }
  return false;
}

// Go's strconv.ParseFloat accepts a few spellings std::from_chars does not ("+1", "Inf").
std::optional<double> parseGoFloat(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower;
  for (char c : body) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "infinity") return neg ? -INFINITY : INFINITY;
  if (lower == "nan") return NAN;
  double v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v);
  if (res.ec != std::errc() || res.ptr != body.data() + body.size()) return std::nullopt;
  return neg ? -v : v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// RFC 3339 with optional fraction: 2006-01-02T15:04:05.999999999Z07:00.
std::optional<int64_t> parseRfc3339Ms(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, &y) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, &mo) ||
      s[7] != '-' || !digits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
      !digits(s, 11, 2, &h) || s[13] != ':' || !digits(s, 14, 2, &mi) || s[16] != ':' ||
      !digits(s, 17, 2, &sec))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  size_t pos = 19;
  int64_t frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      frac_ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !digits(s, pos + 4, 2, &om))
      return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return secs * 1000 + frac_ms;
}

}  // namespace

std::string urlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 2 < s.size() ? hexDigit(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hexDigit(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        throw std::invalid_argument("invalid URL escape \"" +
                                    std::string(s.substr(i, std::min<size_t>(3, s.size() - i))) +
                                    "\"");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Params Params::parse(std::string_view text) {
  Params p;
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = urlDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : urlDecode(pair.substr(eq + 1));
    p.add(std::move(name), std::move(value));
  }
  return p;
}

Params Params::fromRequest(const strata_http_request& req) {
  Params p;
  // As Go's ParseForm: body values come before query-string values.
  if (view(req.method) == "POST" && isFormBody(req) && req.body_len > 0) {
    p = parse(std::string_view(req.body, req.body_len));
  }
  Params q = parse(view(req.query));
  for (auto& kv : q.values_) p.values_.push_back(std::move(kv));
  return p;
}

void Params::add(std::string name, std::string value) {
  values_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Params::get(std::string_view name) const {
  for (const auto& [k, v] : values_)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::string> Params::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (k == name) out.push_back(v);
  return out;
}

int64_t parseTimeMs(std::string_view s) {
  if (auto f = parseGoFloat(s); f && std::isfinite(*f)) {
    double whole = 0;
    double frac = std::modf(*f, &whole);
    frac = std::round(frac * 1000) / 1000;
    if (whole >= 9.2e15 || whole <= -9.2e15) {
      throw std::invalid_argument("cannot parse \"" + std::string(s) + "\" to a valid timestamp");
    }
    return static_cast<int64_t>(whole) * 1000 + static_cast<int64_t>(std::llround(frac * 1000));
  }
  if (auto t = parseRfc3339Ms(s)) return *t;
  // The strings Prometheus' clients send for "unbounded".
  if (s == "-292273086-05-16T16:47:06Z") return kMinTimeMs;
  if (s == "292277025-08-18T07:12:54.999999999Z") return kMaxTimeMs;
  throw std::invalid_argument("cannot parse \"" + std::string(s) + "\" to a valid timestamp");
}

int64_t parseDurationMs(std::string_view s) {
  if (auto f = parseGoFloat(s)) {
    double ms = *f * 1000;
    if (!(ms < 9.2e15 && ms > -9.2e15)) {
      throw std::invalid_argument("cannot parse \"" + std::string(s) +
                                  "\" to a valid duration. It overflows int64");
    }
    return static_cast<int64_t>(ms);
  }
  if (auto d = promql::parseDuration(s)) return *d;
  throw std::invalid_argument("cannot parse \"" + std::string(s) + "\" to a valid duration");
}

int64_t maxSourceResolutionMs(const std::optional<std::string>& value) {
  if (!value || value->empty() || *value == "raw") return 0;
  if (*value == "auto") return STRATA_MAX_RESOLUTION_AUTO;
  int64_t ms = 0;
  try {
    ms = parseDurationMs(*value);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("invalid parameter \"max_source_resolution\": " +
                                std::string(e.what()));
  }
  if (ms < 0)
    throw std::invalid_argument("invalid parameter \"max_source_resolution\": negative resolution");
  return ms;
}

}  // namespace strata::promql_api
