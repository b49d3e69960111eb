// PluginHandle: owns one dlopen() handle so that every ComponentType (and every instance built
// from it) pins the .so it points into. Declared by registry.h, defined here.
#pragma once

#include <string>

namespace strata::plugin {

class PluginHandle {
 public:
  PluginHandle(std::string path, void* handle) : path_(std::move(path)), handle_(handle) {}
  PluginHandle(const PluginHandle&) = delete;
  PluginHandle& operator=(const PluginHandle&) = delete;
  // dlclose()s the handle. For accepted plugins the loader has added RTLD_NODELETE, so the code
  // stays mapped anyway: unloading code that registered TLS or atexit handlers is a classic
  // source of crashes, and reloading a changed .so at the same path is out of scope for v1.
  ~PluginHandle();

  const std::string& path() const { return path_; }
  void* native() const { return handle_; }

 private:
  std::string path_;
  void* handle_;
};

}  // namespace strata::plugin
