// Declaring a plugin: option tables, component definitions and the one exported entry point.
//
//   static const strata_option_def kOptions[] = {
//       strata::sdk::option("interval", STRATA_OPT_DURATION, "1s", "How often to emit."),
//   };
//   static const strata_component_def kGenerator = strata::sdk::component<Generator>(
//       STRATA_KIND_RECEIVER, "generator", "Synthetic series.", 0, STRATA_EDGE_METRICS, kOptions);
//   STRATA_PLUGIN("generator", "0.1.0", &kGenerator);
#pragma once

#include <strata/plugin_abi.h>

#include <cstddef>
#include <strata/sdk/component.hpp>

namespace strata::sdk {

constexpr strata_option_def option(const char* name, uint32_t type, const char* default_value,
                                   const char* doc, uint32_t flags = 0,
                                   const strata_option_def* children = nullptr,
                                   size_t children_count = 0) {
  return strata_option_def{
      sizeof(strata_option_def), name, type, flags, default_value, doc, children, children_count};
}
template <size_t N>
constexpr strata_option_def object(const char* name, uint32_t type, const char* doc,
                                   const strata_option_def (&children)[N], uint32_t flags = 0) {
  return option(name, type, nullptr, doc, flags, children, N);
}

template <typename T, ValidateFn V = nullptr, size_t N>
strata_component_def component(strata_kind kind, const char* type, const char* description,
                               uint32_t inputs, uint32_t outputs,
                               const strata_option_def (&options)[N], uint32_t provides = 0,
                               uint32_t flags = 0, const char* stability = "development") {
  return strata_component_def{sizeof(strata_component_def),
                              static_cast<uint32_t>(kind),
                              type,
                              description,
                              stability,
                              inputs,
                              outputs,
                              provides,
                              flags,
                              options,
                              N,
                              vtableFor<T, V>()};
}

// A component without options.
template <typename T, ValidateFn V = nullptr>
strata_component_def component(strata_kind kind, const char* type, const char* description,
                               uint32_t inputs, uint32_t outputs, uint32_t provides = 0,
                               uint32_t flags = 0, const char* stability = "development") {
  return strata_component_def{sizeof(strata_component_def),
                              static_cast<uint32_t>(kind),
                              type,
                              description,
                              stability,
                              inputs,
                              outputs,
                              provides,
                              flags,
                              nullptr,
                              0,
                              vtableFor<T, V>()};
}

#if defined(__SANITIZE_ADDRESS__)
#define STRATA_SDK_ASAN STRATA_SANITIZER_ADDRESS
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_SDK_ASAN STRATA_SANITIZER_ADDRESS
#endif
#endif
#ifndef STRATA_SDK_ASAN
#define STRATA_SDK_ASAN 0u
#endif

inline const strata_build_signature* buildSignature() {
  static const strata_build_signature sig = {
    sizeof(strata_build_signature),
    static_cast<uint32_t>(sizeof(void*) * 8),
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 1u : 0u,
    STRATA_SDK_ASAN,
    STRATA_SDK_MAJOR,
#if defined(__clang__)
    "clang " __clang_version__,
#elif defined(__GNUC__)
    "gcc " __VERSION__,
#else
    "unknown",
#endif
  };
  return &sig;
}

}  // namespace strata::sdk

// Defines the plugin's entry point. Components are pointers to strata_component_def.
#define STRATA_PLUGIN(NAME, VERSION, ...)                                                   \
  extern "C" __attribute__((visibility("default"))) const strata_plugin_descriptor*         \
  strata_plugin_entry_v1(void) {                                                            \
    static const strata_component_def* const components[] = {__VA_ARGS__};                  \
    static const strata_plugin_descriptor d = {STRATA_PLUGIN_MAGIC,                         \
                                               sizeof(strata_plugin_descriptor),            \
                                               STRATA_ABI_MAJOR,                            \
                                               STRATA_ABI_MINOR,                            \
                                               strata::sdk::buildSignature(),               \
                                               NAME,                                        \
                                               VERSION,                                     \
                                               components,                                  \
                                               sizeof(components) / sizeof(components[0])}; \
    return &d;                                                                              \
  }
