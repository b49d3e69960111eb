// Checks on label names and values that every remote write path applies.
#pragma once

#include <string_view>

namespace strata::prompb {

// [a-zA-Z_][a-zA-Z0-9_]*, the Prometheus label name rule.
bool validLabelName(std::string_view name);

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool validUtf8(std::string_view s);

}  // namespace strata::prompb
