// JSON string escaping, shared by everything that writes JSON by hand (API responses,
// meta.json, lint's --format json), so they agree on one set of rules.
#pragma once

#include <string>
#include <string_view>

namespace strata::sdk {

// Appends `s` as a quoted JSON string. `html_safe` also escapes < > & as \u003c etc., as Go's
// encoding/json (and so Prometheus' API) does.
inline void appendJsonString(std::string& out, std::string_view s, bool html_safe = false) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
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
        if (c < 0x20 || (html_safe && (c == '<' || c == '>' || c == '&'))) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

inline std::string jsonString(std::string_view s) {
  std::string out;
  appendJsonString(out, s);
  return out;
}

}  // namespace strata::sdk
