#include "tsdb/labels/label_set.h"

#include <algorithm>

namespace strata::tsdb {

int compareLabels(const LabelSet& a, const LabelSet& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = a[i].first.compare(b[i].first)) return c < 0 ? -1 : 1;
    if (int c = a[i].second.compare(b[i].second)) return c < 0 ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

}  // namespace strata::tsdb
