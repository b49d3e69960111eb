// Printing diagnostics: rustc/Alloy-style text with the source line and a caret, or a JSON
// array for CI. Stable `code`s let tools match problems without parsing messages.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/config/diagnostics.h"

namespace strata::config {

// Source lines for snippets: texts registered with add(), else read from disk on first use.
class SourceCache {
 public:
  void add(const std::string& file, const std::string& text);
  // The 1-based line without its newline; "" when unknown.
  std::string line(const std::string& file, int line);

 private:
  std::map<std::string, std::vector<std::string>> files_;
};

//   file:line:col: error[code]: message
//      3 |     intervall: 5s
//        |     ^
//     help: did you mean 'interval'?
void printText(std::ostream& out, const std::vector<Diagnostic>& diags, SourceCache& sources);

// [{"file":..,"line":..,"column":..,"severity":"error","code":..,"message":..,"hint":..}, ...]
void printJson(std::ostream& out, const std::vector<Diagnostic>& diags);

std::string jsonString(const std::string& s);

}  // namespace strata::config
