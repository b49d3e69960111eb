// Builds the strata_value tree the host would pass to create(), for plugin constructors.
#pragma once

#include <deque>
#include <map>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::testing {

class TestConfig {
 public:
  TestConfig& set(const std::string& key, const std::string& value);
  TestConfig& set(const std::string& key, int64_t value);
  TestConfig& set(const std::string& key, const std::map<std::string, std::string>& map);
  // LIFETIME: valid while this TestConfig lives and is not modified.
  sdk::ConfigView view();

 private:
  strata_str keep(const std::string& s);
  strata_value scalar(const std::string& text, strata_value_kind kind, int64_t i);

  std::deque<std::string> strings_;
  std::vector<strata_str> keys_;
  std::vector<strata_value> items_;
  std::deque<std::vector<strata_str>> sub_keys_;
  std::deque<std::vector<strata_value>> sub_items_;
  strata_value root_{};
};

}  // namespace strata::testing
