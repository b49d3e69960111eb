// checkDescriptor() as a pure function: faked host minors and builds, hand-made descriptors.
#include "core/plugin/abi_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace strata::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

strata_status create(const strata_host_api*, strata_host_ctx*, const strata_value*, void**) {
  return STRATA_OK;
}
void destroy(void*) {}

const strata_component_vtable kVtable = {sizeof(strata_component_vtable),
                                         nullptr,
                                         create,
                                         nullptr,
                                         nullptr,
                                         nullptr,
                                         nullptr,
                                         nullptr,
                                         nullptr,
                                         destroy,
                                         nullptr};
const strata_option_def kOptions[] = {
    {sizeof(strata_option_def), "label_name", STRATA_OPT_STRING, 0, "x", "doc", nullptr, 0}};

// A valid 1.0 descriptor with one processor; tests mutate a copy.
struct Fixture {
  strata_build_signature sig{sizeof(strata_build_signature), 64, 1, 0, 1, "test"};
  strata_component_def def{sizeof(strata_component_def),
                           STRATA_KIND_PROCESSOR,
                           "tagger",
                           "d",
                           "alpha",
                           STRATA_EDGE_METRICS,
                           STRATA_EDGE_METRICS,
                           0,
                           0,
                           kOptions,
                           1,
                           &kVtable};
  const strata_component_def* defs[1] = {&def};
  strata_plugin_descriptor d{
      STRATA_PLUGIN_MAGIC, sizeof(strata_plugin_descriptor), 1, 0, &sig, "p", "1", defs, 1};
};

const HostBuild kHost{64, 1, 0, 1};

TEST(CheckDescriptor, AcceptsValid) {
  Fixture f;
  EXPECT_THAT(checkDescriptor(&f.d, 0, kHost), IsEmpty());
}

TEST(CheckDescriptor, OlderMinorLoadsOnNewerHost) {
  Fixture f;  // plugin at 1.0, host pretends to be 1.1
  EXPECT_THAT(checkDescriptor(&f.d, 1, kHost), IsEmpty());
}

TEST(CheckDescriptor, NewerMinorRefused) {
  Fixture f;
  f.d.abi_minor = 2;
  EXPECT_THAT(checkDescriptor(&f.d, 1, kHost),
              ElementsAre("built for a newer host (expected ABI 1.1 or older, got ABI 1.2)"));
}

TEST(CheckDescriptor, MagicCheckedFirst) {
  Fixture f;
  f.d.magic = 42;
  f.d.abi_major = 7;
  EXPECT_THAT(checkDescriptor(&f.d, 0, kHost),
              ElementsAre("not a strata plugin or corrupt (expected magic 0x3130415441525453, "
                          "got 0x000000000000002a)"));
}

TEST(CheckDescriptor, MajorMismatchStopsBeforeOtherFields) {
  Fixture f;
  f.d.abi_major = 2;
  f.d.struct_size = 1;  // would be refused too, but must not even be read
  f.d.signature = nullptr;
  EXPECT_THAT(checkDescriptor(&f.d, 0, kHost),
              ElementsAre("ABI major mismatch (expected 1, got 2)"));
}

TEST(CheckDescriptor, ShortStructSize) {
  Fixture f;
  f.d.struct_size = 16;
  auto r = checkDescriptor(&f.d, 0, kHost);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], "descriptor struct_size too small for ABI 1.0 (expected >= " +
                      std::to_string(minDescriptorSize(0)) + ", got 16)");
}

TEST(CheckDescriptor, OneLinePerSignatureField) {
  Fixture f;
  f.sig.pointer_bits = 32;
  f.sig.sanitizers = STRATA_SANITIZER_ADDRESS;
  f.sig.sdk_major = 99;
  EXPECT_THAT(checkDescriptor(&f.d, 0, kHost),
              ElementsAre("build signature mismatch: pointer_bits (expected 64, got 32)",
                          "build signature mismatch: sanitizers (expected 0, got 1)",
                          "build signature mismatch: sdk_major (expected 1, got 99)"));
}

TEST(CheckDescriptor, SanitizedHostRefusesPlainPlugin) {
  Fixture f;
  HostBuild asan_host = kHost;
  asan_host.sanitizers = STRATA_SANITIZER_ADDRESS;
  EXPECT_THAT(checkDescriptor(&f.d, 0, asan_host),
              ElementsAre("build signature mismatch: sanitizers (expected 1, got 0)"));
}

TEST(CheckDescriptor, NullSignatureAndNullDescriptor) {
  Fixture f;
  f.d.signature = nullptr;
  EXPECT_THAT(checkDescriptor(&f.d, 0, kHost),
              ElementsAre("missing build signature (expected a strata_build_signature, got null)"));
  EXPECT_THAT(checkDescriptor(nullptr, 0, kHost),
              ElementsAre("entry returned no descriptor (expected a descriptor, got null)"));
}

TEST(CheckComponent, TypeNames) {
  EXPECT_TRUE(validTypeName("a"));
  EXPECT_TRUE(validTypeName("remote_write2"));
  EXPECT_TRUE(validTypeName(std::string(63, 'a').c_str()));
  EXPECT_FALSE(validTypeName(std::string(64, 'a').c_str()));
  EXPECT_FALSE(validTypeName(""));
  EXPECT_FALSE(validTypeName(nullptr));
  EXPECT_FALSE(validTypeName("Bad-Type"));
  EXPECT_FALSE(validTypeName("_x"));
  EXPECT_FALSE(validTypeName("9x"));
}

TEST(CheckComponent, ReportsEachProblem) {
  Fixture f;
  f.def.kind = 9;
  f.def.outputs = 0x10;
  strata_component_vtable vt = kVtable;
  vt.create = nullptr;
  f.def.vtable = &vt;
  EXPECT_THAT(
      checkComponent(&f.def, 3),
      ElementsAre("component 3 'tagger' unknown kind (expected 1..5, got 9)",
                  "component 3 'tagger' unknown edge types in outputs (expected a mask of "
                  "0x0000000000000007, got 0x0000000000000010)",
                  "component 3 'tagger' vtable incomplete (expected create and destroy, got no "
                  "create)"));
}

TEST(CheckComponent, Options) {
  Fixture f;
  strata_option_def opts[] = {
      {sizeof(strata_option_def), "Bad", STRATA_OPT_STRING, 0, nullptr, "", nullptr, 0},
      {sizeof(strata_option_def), "ok", 77, 0, nullptr, "", nullptr, 0},
      {sizeof(strata_option_def), "obj", STRATA_OPT_OBJECT, 0, nullptr, "", nullptr, 0}};
  f.def.options = opts;
  f.def.option_count = 3;
  EXPECT_THAT(checkComponent(&f.def, 0),
              ElementsAre("component 0 'tagger': option 0 invalid name (expected "
                          "^[a-z][a-z0-9_]{0,62}$, got \"Bad\")",
                          "component 0 'tagger': option 'ok' unknown type (expected 1..10, got 77)",
                          "component 0 'tagger': option 'obj' object without children (expected "
                          ">= 1 child, got 0)"));
}

TEST(CheckComponent, NullDefinitionAndVtable) {
  EXPECT_THAT(checkComponent(nullptr, 1),
              ElementsAre("component 1 is null (expected a strata_component_def, got null)"));
  Fixture f;
  f.def.vtable = nullptr;
  EXPECT_THAT(checkComponent(&f.def, 0),
              ElementsAre("component 0 'tagger' vtable (expected a strata_component_vtable, got "
                          "null)"));
}

}  // namespace
}  // namespace strata::plugin
