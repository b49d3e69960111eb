#include "core/model/labels.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <strata/sdk/batch.hpp>

namespace strata::model {
namespace {

// Go's strconv.Quote for the characters that occur in practice; Prometheus prints label
// values this way.
void appendQuoted(std::string& out, std::string_view v) {
  out += '"';
  for (unsigned char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[5];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

}  // namespace

bool Labels::build(const std::vector<std::pair<std::string_view, std::string_view>>& pairs,
                   Labels* out, std::string* error, Interner& interner) {
  std::vector<std::pair<std::string_view, std::string_view>> sorted;
  sorted.reserve(pairs.size());
  for (const auto& p : pairs) {
    if (p.first.empty()) {
      if (error) *error = "label with an empty name (value \"" + std::string(p.second) + "\")";
      return false;
    }
    sorted.push_back(p);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Labels result;
  result.labels_.reserve(sorted.size());
  for (size_t i = 0; i < sorted.size(); ++i) {
    // Checked before dropping empty values so `a=""` next to `a="x"` is still a duplicate.
    if (i > 0 && sorted[i].first == sorted[i - 1].first) {
      if (error) *error = "duplicate label name \"" + std::string(sorted[i].first) + "\"";
      return false;
    }
    if (sorted[i].second.empty()) continue;
    result.labels_.push_back({interner.intern(sorted[i].first), interner.intern(sorted[i].second)});
  }
  *out = std::move(result);
  return true;
}

Labels Labels::from(const LabelPairList& pairs, Interner& interner) {
  std::vector<std::pair<std::string_view, std::string_view>> views(pairs.begin(), pairs.end());
  Labels out;
  std::string error;
  if (!build(views, &out, &error, interner)) throw std::invalid_argument(error);
  return out;
}

Labels Labels::from(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs,
                    Interner& interner) {
  Labels out;
  std::string error;
  if (!build(std::vector(pairs), &out, &error, interner)) throw std::invalid_argument(error);
  return out;
}

std::string_view Labels::get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it != labels_.end() && it->name == name) return it->value;
  return {};
}

uint64_t Labels::hash() const {
  std::vector<strata_label> raw;
  raw.reserve(labels_.size());
  for (const auto& l : labels_)
    raw.push_back({{l.name.data(), l.name.size()}, {l.value.data(), l.value.size()}});
  return sdk::labelsHash(raw.data(), raw.size());
}

std::string Labels::toString() const {
  std::string out(metricName());
  out += '{';
  bool first = true;
  for (const auto& l : labels_) {
    if (l.name == kMetricName) continue;
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += '=';
    appendQuoted(out, l.value);
  }
  out += '}';
  // `up` rather than `up{}`, as Prometheus prints a series with only a name.
  if (first && !metricName().empty()) out.resize(out.size() - 2);
  return out;
}

}  // namespace strata::model
