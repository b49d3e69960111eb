// Pieces of the Prometheus text exposition format 0.0.4 shared by the registry's renderer and
// tests: name rules, escaping and number formatting.
#pragma once

#include <string>
#include <string_view>

namespace strata::telemetry {

// [a-zA-Z_:][a-zA-Z0-9_:]*
bool isValidMetricName(std::string_view name);
// [a-zA-Z_][a-zA-Z0-9_]*, and not starting with "__" (reserved for Prometheus itself).
bool isValidLabelName(std::string_view name);

// Label values and help must be UTF-8 for Prometheus' parser.
bool isValidUtf8(std::string_view s);

// HELP text: backslash and newline escaped.
void appendEscapedHelp(std::string& out, std::string_view help);
// Label value: backslash, double quote and newline escaped.
void appendEscapedLabelValue(std::string& out, std::string_view value);

// Like Prometheus: +Inf, -Inf, NaN; an integral value below 2^53 without exponent ("1000000");
// otherwise the shortest text that reads back as the same double.
std::string formatValue(double v);

}  // namespace strata::telemetry
