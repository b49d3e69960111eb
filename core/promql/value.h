// Values flowing through the evaluator, and the errors a query can end with.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/promql/labels.h"

namespace strata::promql {

enum class ValueType { kNone, kScalar, kVector, kMatrix, kString };
const char* valueTypeName(ValueType t);  // "scalar", "instant vector", "range vector", ...

struct Point {
  int64_t t;
  double v;
};

struct Series {
  Labels metric;
  std::vector<Point> points;  // ascending t
};
using Matrix = std::vector<Series>;

// The staleness marker: a NaN with a distinct payload that ends a series.
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ull;
inline bool isStaleNaN(double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits == kStaleNaNBits;
}
inline double staleNaN() {
  double v;
  std::memcpy(&v, &kStaleNaNBits, sizeof v);
  return v;
}

enum class ErrorKind { kParse, kExecution, kTimeout, kTooManySamples, kTooManySeries, kStorage };

// Every failure of parsing or evaluation. `what()` is the user-facing message, already in
// Prometheus' wording (e.g. "1:5: parse error: unexpected end of input").
class QueryError : public std::runtime_error {
 public:
  QueryError(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void execError(const std::string& message) {
  throw QueryError(ErrorKind::kExecution, message);
}

// Go's strconv.FormatFloat(v, 'f', -1, 64) / 'g' forms, used in labels and messages.
std::string formatFloat(double v);

}  // namespace strata::promql
