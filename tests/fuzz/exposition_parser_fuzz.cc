// libFuzzer target: the scrape receiver's exposition parser (text 0.0.4 and OpenMetrics 1.0),
// which reads response bodies of arbitrary targets. Every input is parsed in both formats.
//
// Besides ASan/UBSan (no read past the body, no overflow), the invariants checked are:
//  - every sample has a valid metric name that points into the body, valid label names, no
//    label name twice; every metadata line a valid family name and a known TYPE;
//  - a failure says which line ("line N: ...") and stops the parse;
//  - parsing is deterministic and keeps no state between bodies: the same parser run again,
//    and a fresh parser, report exactly the same samples (names, labels, value bits,
//    timestamps) and the same error;
//  - text format: terminating the last line and appending a blank and a comment line changes
//    nothing (samples, or the error and its line);
//  - values agree with strtod (on every token of the input): what parseFloatValue accepts,
//    strtod reads to the same double, and a plain decimal that strtod reads to a finite double
//    (Go's ParseFloat accepts it, so Prometheus does) is never refused.
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "exposition_parser.h"
#include "fuzz_check.h"
#include "metric_names.h"

namespace {

using strata::scrape::ExpositionParser;
using strata::scrape::Format;
using strata::scrape::MetaKind;
using strata::scrape::ParsedSample;

bool validLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (!strata::scrape::isLabelNameChar(s[i], i == 0)) return false;
  return true;
}

bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// Records what the parser reported as one string, so two parses compare with ==.
class Recorder : public strata::scrape::ParseHandler {
 public:
  Recorder(std::string_view body, Format format) : body_(body), format_(format) {}

  void onSample(const ParsedSample& s) override {
    FUZZ_CHECK(strata::scrape::isValidMetricName(s.name));
    FUZZ_CHECK(inside(s.name, body_));
    FUZZ_CHECK(s.label_count == 0 || s.labels != nullptr);
    log_ += "S";
    log_.append(s.name);
    for (size_t i = 0; i < s.label_count; ++i) {
      const auto& l = s.labels[i];
      FUZZ_CHECK(validLabelName(l.name));
      FUZZ_CHECK(inside(l.name, body_));
      for (size_t j = 0; j < i; ++j) FUZZ_CHECK(s.labels[j].name != l.name);
      log_ += '\0';
      log_.append(l.name);
      log_ += '=';
      log_.append(l.value);
    }
    uint64_t bits;
    std::memcpy(&bits, &s.value, sizeof bits);
    log_ += ' ' + std::to_string(bits);
    if (s.has_timestamp) log_ += ' ' + std::to_string(s.timestamp_ms);
    log_ += '\n';
  }

  void onMetadata(MetaKind kind, std::string_view family, std::string_view text) override {
    FUZZ_CHECK(strata::scrape::isValidMetricName(family));
    FUZZ_CHECK(kind != MetaKind::kUnit || format_ == Format::kOpenMetrics);
    if (kind == MetaKind::kType) FUZZ_CHECK(!text.empty());
    log_ += "M" + std::to_string(static_cast<int>(kind));
    log_.append(family);
    log_ += '\0';
    log_.append(text);
    log_ += '\n';
  }

  const std::string& log() const { return log_; }

 private:
  std::string_view body_;
  Format format_;
  std::string log_;
};

struct Outcome {
  bool ok;
  std::string log, error;
  bool operator==(const Outcome& o) const { return ok == o.ok && log == o.log && error == o.error; }
};

Outcome parse(ExpositionParser& p, std::string_view body, Format format) {
  Recorder r(body, format);
  bool ok = p.parse(body, format, r);
  if (ok) {
    FUZZ_CHECK(p.error().empty());
  } else {
    FUZZ_CHECK(p.error().rfind("line ", 0) == 0);
  }
  return {ok, r.log(), p.error()};
}

// Plain decimals only ([+-]digits[.digits][e[+-]digits]): the inputs on which strtod and Go's
// ParseFloat agree (both also take hex floats and other spellings parseFloatValue refuses).
bool plainDecimal(std::string_view s) {
  size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') ++i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

void checkFloat(std::string_view s) {
  if (s.size() > 64) s = s.substr(0, 64);
  std::string z(s);
  if (z.find('\0') != std::string::npos) return;
  errno = 0;
  char* end = nullptr;
  double want = std::strtod(z.c_str(), &end);
  bool whole = end == z.c_str() + z.size();
  double got = 0;
  if (strata::scrape::parseFloatValue(s, &got)) {
    // strtod skips leading blanks and parseFloatValue does not, so only this direction holds
    // for every accepted string: it is a number strtod reads completely, to the same value.
    FUZZ_CHECK(whole);
    FUZZ_CHECK(std::isnan(got) ? std::isnan(want) : got == want);
  } else if (plainDecimal(s) && whole) {
    FUZZ_CHECK(std::isinf(want));  // only overflow is an error for Go's ParseFloat
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  static ExpositionParser reused;  // keeps its buffers from earlier inputs, as in a scrape loop
  for (Format f : {Format::kText, Format::kOpenMetrics}) {
    Outcome first = parse(reused, body, f);
    Outcome again = parse(reused, body, f);
    FUZZ_CHECK(first == again);
    ExpositionParser fresh;
    FUZZ_CHECK(parse(fresh, body, f) == first);
    if (f == Format::kText) {
      // The same text with its last line terminated, then a blank line and a comment.
      std::string longer(body);
      if (longer.empty() || longer.back() != '\n') longer += '\n';
      longer += "\n# a comment\n";
      FUZZ_CHECK(parse(fresh, longer, f) == first);
    }
  }
  // Every blank-, brace-, quote- or comma-separated token, as a value (the first 64 tokens).
  size_t tokens = 0, start = 0;
  for (size_t i = 0; i <= body.size() && tokens < 64; ++i) {
    if (i < body.size() && !std::strchr(" \t\n{}\",=", body[i])) continue;
    if (i > start) checkFloat(body.substr(start, i - start)), ++tokens;
    start = i + 1;
  }
  return 0;
}
