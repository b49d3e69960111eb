#include "exposition_parser.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "metric_names.h"

namespace strata::scrape {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }

void skipBlanks(std::string_view s, size_t& pos) {
  while (pos < s.size() && isBlank(s[pos])) ++pos;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += len;
  }
  return true;
}

bool isKnownType(std::string_view t, Format f) {
  static constexpr std::string_view kText[] = {"counter", "gauge", "histogram", "summary",
                                               "untyped"};
  static constexpr std::string_view kOm[] = {"counter", "gauge", "histogram", "gaugehistogram",
                                             "summary", "info",  "stateset",  "unknown"};
  if (f == Format::kText) {
    for (auto k : kText)
      if (k == t) return true;
    return false;
  }
  for (auto k : kOm)
    if (k == t) return true;
  return false;
}

}  // namespace

Format formatFromContentType(std::string_view ct) {
  return ct.rfind("application/openmetrics-text", 0) == 0 ? Format::kOpenMetrics : Format::kText;
}

bool parseFloatValue(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (iequals(body, "inf") || iequals(body, "infinity")) {
    *out = neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  if (iequals(body, "nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.'))
    return false;
  double v = 0;
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (p != body.data() + body.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars says so for overflow and underflow alike. Go's ParseFloat (so Prometheus)
    // refuses only overflow; an underflow is the nearest double, 0 or a denormal. strtod
    // tells the two apart and rounds the same way.
    v = std::strtod(std::string(body).c_str(), nullptr);
    if (std::isinf(v)) return false;
  } else if (ec != std::errc()) {
    return false;
  }
  *out = neg ? -v : v;
  return true;
}

bool ExpositionParser::fail(std::string msg) {
  error_ = "line " + std::to_string(line_no_) + ": " + msg;
  return false;
}

bool ExpositionParser::parse(std::string_view body, Format format, ParseHandler& h) {
  format_ = format;
  line_no_ = 0;
  error_.clear();
  bool saw_eof = false;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    bool terminated = nl != std::string_view::npos;
    std::string_view line = body.substr(pos, terminated ? nl - pos : body.size() - pos);
    pos = terminated ? nl + 1 : body.size();
    ++line_no_;
    if (saw_eof) return fail("unexpected data after # EOF");
    if (format_ == Format::kOpenMetrics) {
      if (line == "# EOF") {
        saw_eof = true;
        continue;
      }
      if (!terminated) return fail("line must end with a newline");
    }
    if (!parseLine(line, h)) return false;
  }
  if (format_ == Format::kOpenMetrics && !saw_eof) {
    ++line_no_;
    return fail("data does not end with # EOF");
  }
  return true;
}

bool ExpositionParser::parseLine(std::string_view line, ParseHandler& h) {
  if (format_ == Format::kText) {
    size_t p = 0;
    skipBlanks(line, p);
    line.remove_prefix(p);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return true;
  } else if (line.empty()) {
    return fail("unexpected empty line");
  }
  if (line[0] == '#') return parseComment(line, h);
  return parseSample(line, h);
}

bool ExpositionParser::parseComment(std::string_view line, ParseHandler& h) {
  size_t pos = 1;
  bool om = format_ == Format::kOpenMetrics;
  if (om && (line.size() < 2 || line[1] != ' ')) return fail("expected a space after #");
  skipBlanks(line, pos);
  size_t kw_end = pos;
  while (kw_end < line.size() && !isBlank(line[kw_end])) ++kw_end;
  std::string_view kw = line.substr(pos, kw_end - pos);
  MetaKind kind;
  if (kw == "TYPE") {
    kind = MetaKind::kType;
  } else if (kw == "HELP") {
    kind = MetaKind::kHelp;
  } else if (kw == "UNIT" && om) {
    kind = MetaKind::kUnit;
  } else {
    // Text format: any other comment is ignored. OpenMetrics allows no free comments.
    return om ? fail("unexpected comment \"" + std::string(line.substr(0, 40)) + "\"") : true;
  }
  if (kw_end >= line.size())
    return om ? fail("expected a metric name after " + std::string(kw)) : true;
  pos = kw_end;
  skipBlanks(line, pos);
  size_t name_end = pos;
  while (name_end < line.size() && !isBlank(line[name_end])) ++name_end;
  std::string_view family = line.substr(pos, name_end - pos);
  if (!isValidMetricName(family))
    return fail("invalid metric name \"" + std::string(family) + "\"");
  pos = name_end;
  if (pos < line.size()) ++pos;  // the one separator; HELP text keeps further blanks
  std::string_view text = line.substr(std::min(pos, line.size()));
  if (kind == MetaKind::kType) {
    while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
    if (!isKnownType(text, format_))
      return fail("invalid metric type \"" + std::string(text) + "\"");
  }
  if (kind == MetaKind::kHelp && text.find('\\') != std::string_view::npos) {
    help_.clear();
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() &&
          (text[i + 1] == '\\' || text[i + 1] == 'n' || (om && text[i + 1] == '"'))) {
        help_ += text[i + 1] == 'n' ? '\n' : text[i + 1];
        ++i;
      } else {
        help_ += text[i];
      }
    }
    text = help_;
  }
  h.onMetadata(kind, family, text);
  return true;
}

bool ExpositionParser::parseLabelValue(std::string_view line, size_t& pos, std::string_view& out) {
  if (pos >= line.size() || line[pos] != '"') return fail("expected a quoted label value");
  size_t start = ++pos;
  size_t end = start;
  bool escaped = false;
  while (end < line.size() && line[end] != '"') {
    if (line[end] == '\\') {
      escaped = true;
      if (++end >= line.size()) break;
    }
    ++end;
  }
  if (end >= line.size()) return fail("unterminated label value");
  pos = end + 1;
  std::string_view raw = line.substr(start, end - start);
  if (!escaped) {
    out = raw;
  } else {
    // Reserve the line's length once per line: later values then never move earlier ones.
    if (scratch_.empty()) scratch_.reserve(line.size());
    size_t at = scratch_.size();
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) {
        char c = raw[i + 1];
        if (c == 'n') {
          scratch_ += '\n';
        } else if (c == '\\' || c == '"') {
          scratch_ += c;
        } else {  // unknown escape: kept as written, like Prometheus
          scratch_ += '\\';
          scratch_ += c;
        }
        ++i;
      } else {
        scratch_ += raw[i];
      }
    }
    out = std::string_view(scratch_).substr(at);
  }
  if (!validUtf8(out)) return fail("invalid UTF-8 label value");
  return true;
}

bool ExpositionParser::parseLabels(std::string_view line, size_t& pos) {
  ++pos;  // '{'
  bool om = format_ == Format::kOpenMetrics;
  while (true) {
    if (!om) skipBlanks(line, pos);
    if (pos < line.size() && line[pos] == '}') {
      ++pos;
      return true;
    }
    size_t start = pos;
    while (pos < line.size() && isLabelNameChar(line[pos], pos == start)) ++pos;
    if (pos == start) return fail("expected a label name or '}'");
    std::string_view name = line.substr(start, pos - start);
    if (!om) skipBlanks(line, pos);
    if (pos >= line.size() || line[pos] != '=') return fail("expected '=' after label name");
    ++pos;
    if (!om) skipBlanks(line, pos);
    std::string_view value;
    if (!parseLabelValue(line, pos, value)) return false;
    for (const auto& l : labels_)
      if (l.name == name) return fail("duplicate label name \"" + std::string(name) + "\"");
    labels_.push_back({name, value});
    if (!om) skipBlanks(line, pos);
    if (pos < line.size() && line[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < line.size() && line[pos] == '}') {
      ++pos;
      return true;
    }
    return fail("expected ',' or '}' after label value");
  }
}

bool ExpositionParser::parseSample(std::string_view line, ParseHandler& h) {
  labels_.clear();
  scratch_.clear();
  bool om = format_ == Format::kOpenMetrics;
  size_t pos = 0;
  while (pos < line.size() && isMetricNameChar(line[pos], pos == 0)) ++pos;
  if (pos == 0) return fail("expected a metric name");
  ParsedSample s{line.substr(0, pos), nullptr, 0, 0, false, 0};
  size_t after_name = pos;
  if (!om) skipBlanks(line, pos);  // text format allows `name {`
  if (pos < line.size() && line[pos] == '{') {
    if (!parseLabels(line, pos)) return false;
  } else {
    pos = after_name;
  }
  if (pos >= line.size() || !isBlank(line[pos])) return fail("expected a value after the labels");
  if (om && line[pos] != ' ') return fail("expected a single space before the value");
  ++pos;
  if (!om) skipBlanks(line, pos);
  size_t vend = pos;
  while (vend < line.size() && !isBlank(line[vend])) ++vend;
  std::string_view value = line.substr(pos, vend - pos);
  if (!parseFloatValue(value, &s.value))
    return fail("invalid value \"" + std::string(value) + "\"");
  pos = vend;
  if (!om)
    skipBlanks(line, pos);
  else if (pos < line.size())
    ++pos;
  if (pos < line.size() && !(om && line[pos] == '#')) {
    size_t tend = pos;
    while (tend < line.size() && !isBlank(line[tend])) ++tend;
    std::string_view ts = line.substr(pos, tend - pos);
    if (om) {
      double secs = 0;
      // Milliseconds must fit int64 (converting a double outside it is undefined behaviour).
      if (!parseFloatValue(ts, &secs) || !(std::fabs(secs * 1000) < 0x1p63))
        return fail("invalid timestamp \"" + std::string(ts) + "\"");
      s.timestamp_ms = static_cast<int64_t>(secs * 1000);
    } else {
      auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), s.timestamp_ms);
      if (ec != std::errc() || p != ts.data() + ts.size())
        return fail("invalid timestamp \"" + std::string(ts) + "\"");
    }
    s.has_timestamp = true;
    pos = tend;
    if (!om)
      skipBlanks(line, pos);
    else if (pos < line.size())
      ++pos;
  }
  // OpenMetrics exemplar (" # {labels} value [ts]"): checked for shape, not ingested.
  if (om && pos < line.size()) {
    if (line.substr(pos, 3) != "# {") return fail("unexpected text after the sample");
  } else if (pos < line.size()) {
    return fail("unexpected text after the sample");
  }
  s.labels = labels_.data();
  s.label_count = labels_.size();
  h.onSample(s);
  return true;
}

}  // namespace strata::scrape
