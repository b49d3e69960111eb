#include "core/config/diagnostics.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace strata::config {

void Diagnostics::error(std::string code, SourcePos pos, std::string message, std::string hint) {
  items_.push_back(
      {Severity::kError, std::move(code), std::move(pos), std::move(message), std::move(hint)});
}

void Diagnostics::warning(std::string code, SourcePos pos, std::string message, std::string hint) {
  items_.push_back(
      {Severity::kWarning, std::move(code), std::move(pos), std::move(message), std::move(hint)});
}

bool Diagnostics::hasErrors() const {
  return std::any_of(items_.begin(), items_.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

void Diagnostics::sort() {
  // Stable: two problems at one position keep the order the passes found them in.
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.pos.file, a.pos.line, a.pos.column) <
           std::tie(b.pos.file, b.pos.line, b.pos.column);
  });
}

}  // namespace strata::config
