#include "test_config.h"

namespace strata::testing {

strata_str TestConfig::keep(const std::string& s) {
  strings_.push_back(s);
  return sdk::str(strings_.back());
}

strata_value TestConfig::scalar(const std::string& text, strata_value_kind kind, int64_t i) {
  strata_value v{};
  v.kind = kind;
  v.line = 1;
  v.column = 1;
  v.int_value = i;
  v.float_value = static_cast<double>(i);
  v.string_value = keep(text);
  return v;
}

TestConfig& TestConfig::set(const std::string& key, const std::string& value) {
  keys_.push_back(keep(key));
  items_.push_back(scalar(value, STRATA_VALUE_STRING, 0));
  return *this;
}

TestConfig& TestConfig::set(const std::string& key, int64_t value) {
  keys_.push_back(keep(key));
  items_.push_back(scalar(std::to_string(value), STRATA_VALUE_INT, value));
  return *this;
}

TestConfig& TestConfig::set(const std::string& key, const std::map<std::string, std::string>& map) {
  auto& ks = sub_keys_.emplace_back();
  auto& vs = sub_items_.emplace_back();
  for (const auto& [k, v] : map) {
    ks.push_back(keep(k));
    vs.push_back(scalar(v, STRATA_VALUE_STRING, 0));
  }
  strata_value m{};
  m.kind = STRATA_VALUE_MAP;
  m.keys = ks.data();
  m.items = vs.data();
  m.count = ks.size();
  keys_.push_back(keep(key));
  items_.push_back(m);
  return *this;
}

sdk::ConfigView TestConfig::view() {
  root_ = {};
  root_.kind = STRATA_VALUE_MAP;
  root_.keys = keys_.data();
  root_.items = items_.data();
  root_.count = keys_.size();
  return sdk::ConfigView(&root_);
}

}  // namespace strata::testing
