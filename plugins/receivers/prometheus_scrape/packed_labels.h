// A series' labels packed into one string (varint length, bytes; name then value, in order):
// how a scrape's samples and a target's staleness map carry labels, at about a quarter of the
// memory of a vector of string pairs (one allocation, no per-label string headers).
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
// Reads the next label off the front of `packed` as views into it; false at the end.
bool nextPackedLabel(std::string_view& packed, std::string_view* name, std::string_view* value);

}  // namespace strata::scrape
