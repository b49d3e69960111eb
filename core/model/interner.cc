#include "core/model/interner.h"

#include <mutex>

namespace strata::model {

std::string_view Interner::intern(std::string_view s) {
  {
    std::shared_lock lock(mu_);
    auto it = strings_.find(s);
    if (it != strings_.end()) return *it;
  }
  std::unique_lock lock(mu_);
  // emplace finds the string another thread may have added between the two locks.
  return *strings_.emplace(s).first;
}

size_t Interner::size() const {
  std::shared_lock lock(mu_);
  return strings_.size();
}

Interner& Interner::global() {
  // Leaked on purpose: views may be used by static destructors of other objects.
  static Interner* instance = new Interner;
  return *instance;
}

}  // namespace strata::model
