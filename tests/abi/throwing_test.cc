// The SDK's exception barrier: a component constructor that throws must come back through the
// C vtable as STRATA_FAILED with the exception's text handed to the host's set_error().
#include <gtest/gtest.h>

#include <string>

#include "core/plugin/loader.h"

namespace strata::plugin {
namespace {

std::string g_error;
int g_error_calls = 0;

void setError(strata_host_ctx*, strata_str message) {
  g_error.assign(message.data, message.len);
  ++g_error_calls;
}

strata_host_api fakeHost() {
  strata_host_api api{};
  api.struct_size = sizeof(api);
  api.abi_major = STRATA_ABI_MAJOR;
  api.abi_minor = STRATA_ABI_MINOR;
  api.set_error = setError;
  return api;
}

TEST(ExceptionBarrier, ThrowingCreateBecomesFailedWithMessage) {
  Registry registry;
  LoadReport report = loadPluginFile(STRATA_ABI_THROWING_PLUGIN, registry);
  ASSERT_TRUE(report.refusals.empty()) << report.refusals[0];
  const ComponentType* t = registry.find(STRATA_KIND_PROCESSOR, "abi_thrower");
  ASSERT_NE(t, nullptr);

  strata_str key{"reason", 6};
  strata_value reason{};
  reason.kind = STRATA_VALUE_STRING;
  reason.string_value = {"bad config", 10};
  strata_value config{};
  config.kind = STRATA_VALUE_MAP;
  config.keys = &key;
  config.items = &reason;
  config.count = 1;

  strata_host_api api = fakeHost();
  auto* ctx = reinterpret_cast<strata_host_ctx*>(&api);  // opaque to the plugin; never read
  void* instance = reinterpret_cast<void*>(0x1);
  g_error.clear();
  g_error_calls = 0;
  strata_status st = t->def->vtable->create(&api, ctx, &config, &instance);
  EXPECT_EQ(st, STRATA_FAILED);
  EXPECT_EQ(g_error, "thrower refuses: bad config");
  EXPECT_EQ(g_error_calls, 1);
}

}  // namespace
}  // namespace strata::plugin
