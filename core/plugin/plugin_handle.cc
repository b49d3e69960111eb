#include "core/plugin/plugin_handle.h"

#include <dlfcn.h>

namespace strata::plugin {

PluginHandle::~PluginHandle() {
  if (handle_) dlclose(handle_);
}

}  // namespace strata::plugin
