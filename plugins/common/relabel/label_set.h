// A mutable label set with Prometheus' labels.Builder semantics: names unique, kept sorted,
// setting an empty value deletes the label. Relabeling and target building work on it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::relabel {

struct Label {
  std::string name, value;
  bool operator==(const Label&) const = default;
};

class LabelSet {
 public:
  LabelSet() = default;
  // Pairs in any order; a later duplicate name wins; empty values are left out.
  LabelSet(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs);

  // The value of `name`, "" when absent (Prometheus: absent and empty are the same).
  std::string_view get(std::string_view name) const;
  bool has(std::string_view name) const { return !get(name).empty(); }
  // Sets `name`; an empty value deletes it.
  void set(std::string_view name, std::string_view value);
  void del(std::string_view name);

  const std::vector<Label>& labels() const { return labels_; }
  size_t size() const { return labels_.size(); }
  bool empty() const { return labels_.empty(); }
  void clear() { labels_.clear(); }
  // `{a="1", b="2"}` for messages and tests.
  std::string toString() const;
  bool operator==(const LabelSet&) const = default;

 private:
  std::vector<Label>::iterator find(std::string_view name);
  std::vector<Label> labels_;  // sorted by name
};

// Label names as Prometheus 2.42 accepts them: [a-zA-Z_][a-zA-Z0-9_]*.
bool isValidLabelName(std::string_view name);

}  // namespace strata::relabel
