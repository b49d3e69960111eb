// Read-only C++ view over the validated configuration tree (strata_value) the host passes to
// create(). The host has already checked types and filled defaults from the option schema,
// so accessors here only convert.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace strata::sdk {

inline std::string_view view(strata_str s) { return {s.data ? s.data : "", s.len}; }
inline strata_str str(std::string_view s) { return {s.data(), s.size()}; }

class ConfigView {
 public:
  ConfigView() = default;
  explicit ConfigView(const strata_value* v) : v_(v) {}

  bool present() const { return v_ && v_->kind != STRATA_VALUE_NULL; }
  strata_value_kind kind() const {
    return v_ ? static_cast<strata_value_kind>(v_->kind) : STRATA_VALUE_NULL;
  }
  int line() const { return v_ ? v_->line : 0; }
  int column() const { return v_ ? v_->column : 0; }

  // Map member by key; an absent key gives a view that is not present().
  ConfigView operator[](std::string_view key) const {
    if (!v_ || v_->kind != STRATA_VALUE_MAP) return {};
    for (size_t i = 0; i < v_->count; ++i)
      if (view(v_->keys[i]) == key) return ConfigView(&v_->items[i]);
    return {};
  }
  size_t size() const {
    return v_ && (v_->kind == STRATA_VALUE_LIST || v_->kind == STRATA_VALUE_MAP) ? v_->count : 0;
  }
  ConfigView at(size_t i) const { return i < size() ? ConfigView(&v_->items[i]) : ConfigView(); }
  std::string_view keyAt(size_t i) const { return i < size() ? view(v_->keys[i]) : ""; }

  std::string asString(std::string_view fallback = "") const {
    return present() ? std::string(view(v_->string_value)) : std::string(fallback);
  }
  int64_t asInt(int64_t fallback = 0) const { return present() ? v_->int_value : fallback; }
  double asDouble(double fallback = 0) const { return present() ? v_->float_value : fallback; }
  bool asBool(bool fallback = false) const { return present() ? v_->int_value != 0 : fallback; }
  // Durations arrive as INT milliseconds.
  int64_t asMillis(int64_t fallback = 0) const { return asInt(fallback); }

  std::vector<std::string> asStringList() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < size(); ++i) out.push_back(at(i).asString());
    return out;
  }
  std::map<std::string, std::string> asStringMap() const {
    std::map<std::string, std::string> out;
    if (kind() != STRATA_VALUE_MAP) return out;
    for (size_t i = 0; i < size(); ++i) out[std::string(keyAt(i))] = at(i).asString();
    return out;
  }
  const strata_value* raw() const { return v_; }

 private:
  const strata_value* v_ = nullptr;
};

}  // namespace strata::sdk
