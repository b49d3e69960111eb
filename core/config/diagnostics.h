// Problems found in a pipeline file, each with its position, collected rather than thrown so
// lint reports all of them at once.
#pragma once

#include <string>
#include <vector>

namespace strata::config {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  // stable: "yaml-syntax", "unknown-option", "type-mismatch", ...
  SourcePos pos;
  std::string message;
  std::string hint;  // "did you mean 'x'?" etc.; may be empty
};

class Diagnostics {
 public:
  void error(std::string code, SourcePos pos, std::string message, std::string hint = "");
  void warning(std::string code, SourcePos pos, std::string message, std::string hint = "");
  bool hasErrors() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  void append(const Diagnostics& other);
  // Sorted by file, line, column for stable output.
  void sort();

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace strata::config
