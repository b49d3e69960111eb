// Turning matchers into a sorted list of series ids, the same way for the head (uint32 ids)
// and for blocks (uint64 series refs): positive matchers intersect the union of the postings
// of their matching values; matchers that accept "" subtract the postings of the values they
// reject (so series without the label stay selected, as in Prometheus).
#pragma once

#include <algorithm>
#include <functional>
#include <iterator>
#include <queue>
#include <vector>

#include "query/matcher.h"

namespace strata::block_store {

template <typename Id>
std::vector<Id> intersectSorted(const std::vector<Id>& a, const std::vector<Id>& b) {
  std::vector<Id> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

template <typename Id>
std::vector<Id> subtractSorted(const std::vector<Id>& a, const std::vector<Id>& b) {
  std::vector<Id> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

// k-way merge of sorted lists, duplicates removed.
template <typename Id>
std::vector<Id> uniteSorted(const std::vector<const std::vector<Id>*>& lists) {
  using Cursor = std::pair<Id, size_t>;
  std::priority_queue<Cursor, std::vector<Cursor>, std::greater<Cursor>> heap;
  std::vector<size_t> pos(lists.size(), 0);
  for (size_t i = 0; i < lists.size(); ++i)
    if (!lists[i]->empty()) heap.push({(*lists[i])[0], i});
  std::vector<Id> out;
  while (!heap.empty()) {
    auto [v, i] = heap.top();
    heap.pop();
    if (out.empty() || out.back() != v) out.push_back(v);
    if (++pos[i] < lists[i]->size()) heap.push({(*lists[i])[pos[i]], i});
  }
  return out;
}

// `valuesWhere(name, pred)` returns the union of the postings of `name`'s values for which
// pred(value) holds; `all()` every series id.
template <typename Id>
std::vector<Id> selectPostings(
    const std::vector<Matcher>& matchers, const std::function<std::vector<Id>()>& all,
    const std::function<std::vector<Id>(
        const std::string&, const std::function<bool(std::string_view)>&)>& valuesWhere) {
  std::vector<std::vector<Id>> positive, negative;
  for (const auto& m : matchers) {
    if (!m.matchesEmpty())
      positive.push_back(valuesWhere(m.name(), [&m](std::string_view v) { return m.matches(v); }));
    else
      negative.push_back(valuesWhere(m.name(), [&m](std::string_view v) { return !m.matches(v); }));
  }
  std::vector<Id> result;
  if (positive.empty()) {
    result = all();
  } else {
    // Smallest first keeps every intermediate result small.
    std::sort(positive.begin(), positive.end(),
              [](const auto& a, const auto& b) { return a.size() < b.size(); });
    result = std::move(positive[0]);
    for (size_t i = 1; i < positive.size() && !result.empty(); ++i)
      result = intersectSorted(result, positive[i]);
  }
  for (const auto& n : negative) {
    if (result.empty()) break;
    result = subtractSorted(result, n);
  }
  return result;
}

}  // namespace strata::block_store
