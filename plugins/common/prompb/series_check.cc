#include "prompb/series_check.h"

#include <set>
#include <string>

#include "prompb/label_check.h"
#include "prompb/snappy_body.h"

namespace strata::prompb {
namespace {
std::string where(int index) { return "series " + std::to_string(index) + ": "; }
}  // namespace

bool decodeFailure(DecodeError* error, std::string reason, std::string message) {
  error->reason = std::move(reason);
  error->message = std::move(message);
  return false;
}

bool uncompressRequest(std::string_view body, const DecodeLimits& limits, std::string* raw,
                       DecodeError* error) {
  std::string why;
  switch (uncompressBounded(body, limits.max_uncompressed_bytes, raw, &why)) {
    case SnappyResult::kOk:
      return true;
    case SnappyResult::kTooLarge:
      return decodeFailure(error, "too_large", why);
    case SnappyResult::kCorrupt:
      break;
  }
  return decodeFailure(error, "snappy", why);
}

namespace {
// Whether labels[i]'s name occurred before it. Names in ascending order (what senders send)
// answer in O(1); otherwise a scan, or a set once the scan would be quadratic in many labels.
class DuplicateFinder {
 public:
  bool seen(LabelViewSpan labels, size_t i) {
    std::string_view n = labels[i].first;
    if (ascending_ && (i == 0 || labels[i - 1].first < n)) return false;
    if (ascending_ && labels.size() > kScanLimit)
      for (size_t k = 0; k < i; ++k) set_.insert(labels[k].first);
    ascending_ = false;
    if (labels.size() > kScanLimit) return !set_.insert(n).second;
    for (size_t k = 0; k < i; ++k)
      if (labels[k].first == n) return true;
    return false;
  }

 private:
  static constexpr size_t kScanLimit = 64;
  bool ascending_ = true;
  std::set<std::string_view> set_;
};
}  // namespace

bool checkSeriesLabels(LabelViewSpan labels, int index, const DecodeLimits& limits,
                       DecodeError* error) {
  if (limits.max_label_count && labels.size() > limits.max_label_count)
    return decodeFailure(error, "too_many_labels",
                         where(index) + std::to_string(labels.size()) +
                             " labels, over the limit of " +
                             std::to_string(limits.max_label_count));
  DuplicateFinder duplicates;
  bool has_name = false;
  for (size_t i = 0; i < labels.size(); ++i) {
    const auto& [n, v] = labels[i];
    if (limits.max_label_name_length && n.size() > limits.max_label_name_length)
      return decodeFailure(error, "label_name_too_long",
                           where(index) + "label name of " + std::to_string(n.size()) +
                               " bytes, over the limit of " +
                               std::to_string(limits.max_label_name_length));
    if (!validLabelName(n))
      return decodeFailure(error, "invalid_label_name",
                           where(index) + "invalid label name \"" +
                               (validUtf8(n) ? std::string(n) : "<non-UTF-8>") +
                               "\" (must match [a-zA-Z_][a-zA-Z0-9_]*)");
    if (duplicates.seen(labels, i))
      return decodeFailure(error, "duplicate_label",
                           where(index) + "duplicate label name \"" + std::string(n) + "\"");
    if (limits.max_label_value_length && v.size() > limits.max_label_value_length)
      return decodeFailure(error, "label_value_too_long",
                           where(index) + "value of label \"" + std::string(n) + "\" is " +
                               std::to_string(v.size()) + " bytes, over the limit of " +
                               std::to_string(limits.max_label_value_length));
    if (!validUtf8(v))
      return decodeFailure(
          error, "invalid_utf8",
          where(index) + "value of label \"" + std::string(n) + "\" is not valid UTF-8");
    if (n == "__name__" && !v.empty()) has_name = true;
  }
  if (!has_name)
    return decodeFailure(error, "missing_metric_name", where(index) + "no __name__ label");
  return true;
}

}  // namespace strata::prompb
