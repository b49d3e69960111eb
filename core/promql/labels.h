// Label sets as PromQL sees them: sorted by name, names unique, __name__ included.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::promql {

inline constexpr std::string_view kMetricName = "__name__";

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
};

// A sorted label set. A plain vector keeps it cheap to copy into results and easy to hash.
class Labels {
 public:
  Labels() = default;
  Labels(std::initializer_list<Label> labels);
  static Labels fromUnsorted(std::vector<Label> labels);

  const std::vector<Label>& items() const { return items_; }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

  // Empty string when absent, as in Prometheus (an empty value means "no label").
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const;
  // Setting an empty value deletes the label.
  void set(std::string_view name, std::string_view value);
  void erase(std::string_view name);
  Labels withoutName() const;
  // Keeps only `names` (by) or drops `names` and __name__ (without).
  Labels keep(const std::vector<std::string>& names) const;
  Labels drop(const std::vector<std::string>& names, bool drop_name) const;

  uint64_t hash() const;
  // Hash of the labels in `names` only (on) or of all but `names` and __name__ (ignoring).
  uint64_t hashFor(const std::vector<std::string>& names, bool on) const;
  std::string toString() const;

  bool operator==(const Labels&) const = default;
  bool operator<(const Labels& other) const;

 private:
  std::vector<Label> items_;
};

// Exact quoting used by Prometheus when printing label values.
std::string quoteString(std::string_view s);

}  // namespace strata::promql
