// A YAML snippet checked against an option table by the host's own schema checker, giving the
// strata_value tree create()/validate() receive. Schema errors are kept for assertions.
#pragma once

#include <memory>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::testing {

class YamlConfig {
 public:
  template <size_t N>
  YamlConfig(const std::string& yaml, const strata_option_def (&defs)[N])
      : YamlConfig(yaml, defs, N) {}
  YamlConfig(const std::string& yaml, const strata_option_def* defs, size_t n);
  ~YamlConfig();

  bool ok() const { return errors_.empty(); }
  const std::vector<std::string>& errors() const { return errors_; }
  // LIFETIME: while this object lives. Not present() when the schema check failed.
  sdk::ConfigView view() const;

 private:
  std::shared_ptr<const void> tree_;
  const strata_value* root_ = nullptr;
  std::vector<std::string> errors_;
};

// Runs a validate hook and returns "path: message" lines.
std::vector<std::string> runValidate(void (*fn)(const sdk::ConfigView&, strata_diag_sink*),
                                     const sdk::ConfigView& config);

}  // namespace strata::testing
