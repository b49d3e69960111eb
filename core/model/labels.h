// A series' identity: label name/value pairs sorted by name, names unique, strings interned.
// The hash is the ABI's stable series hash (strata::sdk::labelsHash), so the host, plugins and
// hashrings all agree on it.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/interner.h"

namespace strata::model {

inline constexpr std::string_view kMetricName = "__name__";

struct Label {
  std::string_view name;
  std::string_view value;
  friend bool operator==(const Label&, const Label&) = default;
  friend auto operator<=>(const Label&, const Label&) = default;
};

using LabelPairList = std::vector<std::pair<std::string, std::string>>;

class Labels {
 public:
  Labels() = default;

  // From pairs in any order. A label with an empty value is dropped (Prometheus treats it as
  // absent, and so does the SDK's BatchBuilder, so hashes agree). Returns false and fills
  // `error` (naming the label) on a duplicate name or an empty name.
  static bool build(const std::vector<std::pair<std::string_view, std::string_view>>& pairs,
                    Labels* out, std::string* error, Interner& interner = Interner::global());
  // Same, but throws std::invalid_argument with that message.
  static Labels from(const LabelPairList& pairs, Interner& interner = Interner::global());
  static Labels from(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs,
                     Interner& interner = Interner::global());

  // The value of `name`, or an empty view if the label is absent.
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const { return !get(name).empty(); }
  std::string_view metricName() const { return get(kMetricName); }

  size_t size() const { return labels_.size(); }
  bool empty() const { return labels_.empty(); }
  const Label& operator[](size_t i) const { return labels_[i]; }
  auto begin() const { return labels_.begin(); }
  auto end() const { return labels_.end(); }

  // == strata::sdk::labelsHash over the same labels.
  uint64_t hash() const;
  // Prometheus style: `up{job="api", instance="a:1"}`; `{a="b"}` without a name; `{}` if empty.
  std::string toString() const;

  // Interned views of equal strings are equal as strings, so comparison is by content.
  friend bool operator==(const Labels&, const Labels&) = default;
  friend auto operator<=>(const Labels&, const Labels&) = default;

 private:
  std::vector<Label> labels_;
};

}  // namespace strata::model
