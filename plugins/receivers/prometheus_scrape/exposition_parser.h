// Parser for the Prometheus text exposition format 0.0.4 and OpenMetrics 1.0 text, reading
// straight from the response body: names and label values are string_views into it (a value
// with escapes is unescaped into a per-line scratch buffer), so a sample costs no allocation
// once the parser's buffers have grown.
//
// A malformed body fails as a whole, as in Prometheus: the error names the 1-based line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::scrape {

enum class Format { kText, kOpenMetrics };

struct ParsedLabel {
  std::string_view name, value;
};

struct ParsedSample {
  std::string_view name;
  const ParsedLabel* labels;  // as exposed (not sorted); LIFETIME: until the next callback
  size_t label_count;
  double value;
  bool has_timestamp;
  int64_t timestamp_ms;
};

enum class MetaKind { kType, kHelp, kUnit };

class ParseHandler {
 public:
  virtual ~ParseHandler() = default;
  virtual void onSample(const ParsedSample& s) = 0;
  // TYPE / HELP / UNIT of a metric family; `text` is unescaped (HELP) or the type/unit word.
  virtual void onMetadata(MetaKind kind, std::string_view family, std::string_view text) = 0;
};

// The format a response's Content-Type selects (OpenMetrics for application/openmetrics-text,
// else text 0.0.4, as Prometheus decides).
Format formatFromContentType(std::string_view content_type);

class ExpositionParser {
 public:
  // Parses the whole body, calling `h` for every sample and metadata line. Returns false and
  // sets error() ("line 7: ...") on the first malformed line.
  bool parse(std::string_view body, Format format, ParseHandler& h);
  const std::string& error() const { return error_; }

 private:
  bool parseLine(std::string_view line, ParseHandler& h);
  bool parseComment(std::string_view line, ParseHandler& h);
  bool parseSample(std::string_view line, ParseHandler& h);
  bool parseLabels(std::string_view line, size_t& pos);
  bool parseLabelValue(std::string_view line, size_t& pos, std::string_view& out);
  bool fail(std::string msg);

  Format format_ = Format::kText;
  size_t line_no_ = 0;
  std::vector<ParsedLabel> labels_;
  std::string scratch_;  // unescaped label values of the current line
  std::string help_;     // unescaped HELP text
  std::string error_;
};

// Go's strconv.ParseFloat as far as exposition values go: decimals, exponents, NaN, [+-]Inf
// (any case). False when `s` is not a number.
bool parseFloatValue(std::string_view s, double* out);

}  // namespace strata::scrape
