// A process-wide string interner: label names and values repeat across millions of series, so
// each distinct string is stored once and handed out as a stable string_view.
#pragma once

#include <cstddef>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace strata::model {

// THREAD: any; lookups of already-interned strings take only a shared lock.
// LIFETIME: views stay valid for the interner's lifetime (strings are never freed yet; a
// refcount can be added when series churn makes that matter).
class Interner {
 public:
  std::string_view intern(std::string_view s);
  size_t size() const;
  // The interner Labels use by default.
  static Interner& global();

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Nodes of an unordered_set never move on rehash, so a view into a stored string is stable.
  mutable std::shared_mutex mu_;
  std::unordered_set<std::string, Hash, std::equal_to<>> strings_;
};

}  // namespace strata::model
