// A series' label set as the TSDB format stores it: (name, value) pairs sorted by name, and
// the order the index sorts series in.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace strata::tsdb {

using LabelSet = std::vector<std::pair<std::string, std::string>>;  // sorted by name

// Prometheus' labels.Compare: pairwise by name then value, then the shorter set first.
int compareLabels(const LabelSet& a, const LabelSet& b);

}  // namespace strata::tsdb
