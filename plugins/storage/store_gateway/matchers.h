// Label matchers of a query and how a block's index narrows series by them.
#pragma once

#include <strata/plugin_abi.h>

#include <memory>
#include <string>
#include <vector>

#include "tsdb/index/index_reader.h"
#include "tsdb/labels/label_set.h"

namespace re2 {
class RE2;
}

namespace strata::store_gateway {

// A compiled label matcher; a label the series lacks matches as "".
class Matcher {
 public:
  Matcher(strata_match_type type, std::string name, std::string value);
  bool matches(const std::string& value) const;
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  strata_match_type type() const { return type_; }

 private:
  strata_match_type type_;
  std::string name_, value_;
  std::shared_ptr<re2::RE2> re_;
};
// Throws std::invalid_argument for a bad regex or type.
std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t n);

// Series refs of the index that may match (sorted): the intersection of the postings of every
// matcher that rejects the empty value (a series must have that label); all series when there
// is none.
std::vector<uint64_t> candidateRefs(const tsdb::IndexReader& index, const std::vector<Matcher>& ms);
// Every matcher holds on the labels (a missing label is "").
bool labelsMatch(const tsdb::LabelSet& labels, const std::vector<Matcher>& ms);

}  // namespace strata::store_gateway
