// A series' labels packed into one string (varint length, bytes; name then value, in order):
// what a target keeps per series between scrapes to write its stale markers, at a quarter of
// the memory of a vector of string pairs (one allocation, no per-label string headers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "relabel/label_set.h"

namespace strata::scrape {

std::string packLabels(const std::vector<relabel::Label>& labels);
// The labels packLabels() packed; stops at the first malformed length (cannot happen for a
// string packLabels() made).
std::vector<relabel::Label> unpackLabels(std::string_view packed);

}  // namespace strata::scrape
