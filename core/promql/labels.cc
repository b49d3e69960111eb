#include "core/promql/labels.h"

#include <algorithm>

namespace strata::promql {
namespace {

// FNV-1a with a separator byte between fields; good enough for grouping maps, which also
// compare the labels themselves on a hash hit.
constexpr uint64_t kOffset = 14695981039346656037ull;
constexpr uint64_t kPrime = 1099511628211ull;

inline uint64_t mix(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * kPrime;
  return (h ^ 0xff) * kPrime;
}

bool contains(const std::vector<std::string>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

}  // namespace

Labels::Labels(std::initializer_list<Label> labels) : items_(labels) {
  std::sort(items_.begin(), items_.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
}

Labels Labels::fromUnsorted(std::vector<Label> labels) {
  Labels out;
  out.items_ = std::move(labels);
  // Storage hands out sorted, unique, non-empty labels: take them as they are.
  bool canonical = true;
  for (size_t i = 0; i < out.items_.size() && canonical; ++i) {
    canonical =
        !out.items_[i].value.empty() && (i == 0 || out.items_[i - 1].name < out.items_[i].name);
  }
  if (canonical) return out;
  std::stable_sort(out.items_.begin(), out.items_.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  // Later duplicates win, as with a builder.
  std::vector<Label> uniq;
  for (auto& l : out.items_) {
    if (!uniq.empty() && uniq.back().name == l.name) {
      uniq.back() = std::move(l);
    } else {
      uniq.push_back(std::move(l));
    }
  }
  std::erase_if(uniq, [](const Label& l) { return l.value.empty(); });
  out.items_ = std::move(uniq);
  return out;
}

std::string_view Labels::get(std::string_view name) const {
  for (const auto& l : items_) {
    if (l.name == name) return l.value;
  }
  return {};
}

bool Labels::has(std::string_view name) const {
  for (const auto& l : items_) {
    if (l.name == name) return true;
  }
  return false;
}

void Labels::set(std::string_view name, std::string_view value) {
  if (value.empty()) {
    erase(name);
    return;
  }
  auto it = std::lower_bound(items_.begin(), items_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != items_.end() && it->name == name) {
    it->value = std::string(value);
  } else {
    items_.insert(it, Label{std::string(name), std::string(value)});
  }
}

void Labels::erase(std::string_view name) {
  std::erase_if(items_, [&](const Label& l) { return l.name == name; });
}

Labels Labels::withoutName() const {
  Labels out;
  out.items_.reserve(items_.size());
  for (const auto& l : items_) {
    if (l.name != kMetricName) out.items_.push_back(l);
  }
  return out;
}

Labels Labels::keep(const std::vector<std::string>& names) const {
  Labels out;
  for (const auto& l : items_) {
    if (contains(names, l.name)) out.items_.push_back(l);
  }
  return out;
}

Labels Labels::drop(const std::vector<std::string>& names, bool drop_name) const {
  Labels out;
  for (const auto& l : items_) {
    if (contains(names, l.name) || (drop_name && l.name == kMetricName)) continue;
    out.items_.push_back(l);
  }
  return out;
}

uint64_t Labels::hash() const {
  uint64_t h = kOffset;
  for (const auto& l : items_) h = mix(mix(h, l.name), l.value);
  return h;
}

uint64_t Labels::hashFor(const std::vector<std::string>& names, bool on) const {
  uint64_t h = kOffset;
  for (const auto& l : items_) {
    bool listed = contains(names, l.name);
    if (on ? !listed : (listed || l.name == kMetricName)) continue;
    h = mix(mix(h, l.name), l.value);
  }
  return h;
}

std::string quoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
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
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string Labels::toString() const {
  std::string out = "{";
  bool first = true;
  for (const auto& l : items_) {
    if (!first) out += ", ";
    first = false;
    out += l.name + "=" + quoteString(l.value);
  }
  return out + "}";
}

bool Labels::operator<(const Labels& other) const {
  size_t n = std::min(items_.size(), other.items_.size());
  for (size_t i = 0; i < n; ++i) {
    if (items_[i].name != other.items_[i].name) return items_[i].name < other.items_[i].name;
    if (items_[i].value != other.items_[i].value) return items_[i].value < other.items_[i].value;
  }
  return items_.size() < other.items_.size();
}

}  // namespace strata::promql
