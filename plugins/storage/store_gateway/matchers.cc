#include "matchers.h"

#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>
#include <strata/sdk.hpp>

namespace strata::store_gateway {

Matcher::Matcher(strata_match_type type, std::string name, std::string value)
    : type_(type), name_(std::move(name)), value_(std::move(value)) {
  if (type_ == STRATA_MATCH_RE || type_ == STRATA_MATCH_NRE) {
    RE2::Options opts;
    opts.set_log_errors(false);
    re_ = std::make_shared<re2::RE2>("^(?:" + value_ + ")$", opts);
    if (!re_->ok())
      throw std::invalid_argument("bad regex in matcher " + name_ + ": " + re_->error());
  } else if (type_ != STRATA_MATCH_EQ && type_ != STRATA_MATCH_NEQ) {
    throw std::invalid_argument("unknown matcher type for " + name_);
  }
}

bool Matcher::matches(const std::string& v) const {
  switch (type_) {
    case STRATA_MATCH_EQ:
      return v == value_;
    case STRATA_MATCH_NEQ:
      return v != value_;
    case STRATA_MATCH_RE:
      return re2::RE2::FullMatch(v, *re_);
    case STRATA_MATCH_NRE:
      return !re2::RE2::FullMatch(v, *re_);
  }
  return false;
}

std::vector<Matcher> compileMatchers(const strata_matcher* matchers, size_t n) {
  std::vector<Matcher> out;
  for (size_t i = 0; i < n; ++i)
    out.emplace_back(static_cast<strata_match_type>(matchers[i].type),
                     std::string(sdk::view(matchers[i].name)),
                     std::string(sdk::view(matchers[i].value)));
  return out;
}

std::vector<uint64_t> candidateRefs(const tsdb::IndexReader& r, const std::vector<Matcher>& ms) {
  bool narrowed = false;
  std::vector<uint64_t> refs;
  for (const auto& m : ms) {
    if (m.matches("")) continue;
    std::vector<uint64_t> these;
    if (m.type() == STRATA_MATCH_EQ) {
      these = r.postings(m.name(), m.value());
    } else {
      for (const auto& v : r.labelValues(m.name())) {
        if (!m.matches(v)) continue;
        auto p = r.postings(m.name(), v);
        std::vector<uint64_t> merged;
        std::set_union(these.begin(), these.end(), p.begin(), p.end(), std::back_inserter(merged));
        these = std::move(merged);
      }
    }
    if (narrowed) {
      std::vector<uint64_t> both;
      std::set_intersection(refs.begin(), refs.end(), these.begin(), these.end(),
                            std::back_inserter(both));
      refs = std::move(both);
    } else {
      refs = std::move(these);
    }
    narrowed = true;
    if (refs.empty()) return refs;
  }
  return narrowed ? refs : r.postings("", "");
}

bool labelsMatch(const tsdb::LabelSet& labels, const std::vector<Matcher>& ms) {
  static const std::string kEmpty;
  for (const auto& m : ms) {
    const std::string* v = &kEmpty;
    for (const auto& [name, value] : labels)
      if (name == m.name()) v = &value;
    if (!m.matches(*v)) return false;
  }
  return true;
}

}  // namespace strata::store_gateway
