#include "relabel/label_set.h"

#include <algorithm>

namespace strata::relabel {

LabelSet::LabelSet(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  for (const auto& [n, v] : pairs) set(n, v);
}

std::vector<Label>::iterator LabelSet::find(std::string_view name) {
  return std::lower_bound(labels_.begin(), labels_.end(), name,
                          [](const Label& l, std::string_view n) { return l.name < n; });
}

std::string_view LabelSet::get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  return it != labels_.end() && it->name == name ? std::string_view(it->value) : "";
}

void LabelSet::set(std::string_view name, std::string_view value) {
  if (value.empty()) return del(name);
  auto it = find(name);
  if (it != labels_.end() && it->name == name) {
    it->value.assign(value);
  } else {
    labels_.insert(it, Label{std::string(name), std::string(value)});
  }
}

void LabelSet::del(std::string_view name) {
  auto it = find(name);
  if (it != labels_.end() && it->name == name) labels_.erase(it);
}

std::string LabelSet::toString() const {
  std::string out = "{";
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i) out += ", ";
    out += labels_[i].name + "=\"" + labels_[i].value + "\"";
  }
  return out + "}";
}

bool isValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace strata::relabel
