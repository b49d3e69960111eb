// Loads every ABI fixture and asserts the exact one-line refusal for each, that the host keeps
// going afterwards (the good plugin still loads), and that refused files are not left mapped.
#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/plugin/loader.h"

namespace strata::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const std::string kDir = STRATA_ABI_FIXTURE_DIR;
// "1.<minor>" of this host, and of the next minor the fixtures pretend to be built for.
const std::string kHostAbi = "1." + std::to_string(STRATA_ABI_MINOR);
const std::string kNextAbi = "1." + std::to_string(STRATA_ABI_MINOR + 1);
std::string fixture(const std::string& name) { return kDir + "/" + name + ".so"; }

struct Case {
  std::string file;
  std::vector<std::string> refusals;
};

std::vector<Case> refusalCases() {
  auto r = [](const std::string& f, const std::string& reason) {
    return fixture(f) + ": refused: " + reason;
  };
  std::vector<Case> cases = {
      {"bad_magic",
       {r("bad_magic",
          "not a strata plugin or corrupt (expected magic 0x3130415441525453, got "
          "0x1122334455667788)")}},
      {"bad_type",
       {r("bad_type",
          "component 0 invalid type name (expected ^[a-z][a-z0-9_]{0,62}$, got \"Bad-Type\")")}},
      {"empty",
       {r("empty", "not a shared object (expected an ELF shared object, got an empty file)")}},
      {"major_plus_one", {r("major_plus_one", "ABI major mismatch (expected 1, got 2)")}},
      {"minor_plus_one",
       {r("minor_plus_one", "built for a newer host (expected ABI " + kHostAbi +
                                " or older, got ABI " + kNextAbi + ")")}},
      {"no_entry",
       {r("no_entry",
          "no entry symbol (expected strata_plugin_entry_v1, got strata_plugin_entry_v2)")}},
      {"not_elf",
       {r("not_elf", "not a shared object (expected an ELF shared object, got no ELF header)")}},
      {"short_struct",
       {r("short_struct", "descriptor struct_size too small for ABI " + kHostAbi +
                              " (expected >= " + std::to_string(sizeof(strata_plugin_descriptor)) +
                              ", got 16)")}},
      {"signature_mismatch",
       {r("signature_mismatch", "build signature mismatch: pointer_bits (expected 64, got 32)"),
        r("signature_mismatch", "build signature mismatch: sdk_major (expected 1, got 99)")}},
      {"unresolved",
       {r("unresolved", "dlopen failed: " + fixture("unresolved") +
                            ": undefined symbol: strata_fixture_missing_symbol")}},
  };
#if STRATA_ABI_HAVE_SANITIZER_FIXTURE && !defined(__SANITIZE_ADDRESS__)
  cases.push_back({"sanitizer_needed",
                   {r("sanitizer_needed",
                      "sanitizer runtime the host does not have (expected "
                      "none, got DT_NEEDED libasan.so.8)")}});
#endif
  return cases;
}

class Refusal : public ::testing::TestWithParam<Case> {};

TEST_P(Refusal, ExactLineThenTheHostCarriesOn) {
  const Case& c = GetParam();
  Registry registry;
  LoadReport bad = loadPluginFile(fixture(c.file), registry);
  EXPECT_THAT(bad.refusals, ElementsAreArray(c.refusals));
  EXPECT_THAT(bad.loaded, IsEmpty());
  EXPECT_TRUE(registry.all().empty());
  // A refused file is closed again, whether or not dlopen got that far.
  void* still = dlopen(fixture(c.file).c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_EQ(still, nullptr) << c.file << " is still mapped after its refusal";
  if (still) dlclose(still);

  LoadReport good = loadPluginFile(fixture("good"), registry);
  EXPECT_THAT(good.refusals, IsEmpty());
  EXPECT_THAT(good.loaded, ElementsAre(fixture("good")));
  EXPECT_NE(registry.find(STRATA_KIND_RECEIVER, "abi_good"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Refusal, ::testing::ValuesIn(refusalCases()),
                         [](const auto& info) { return info.param.file; });

TEST(Loader, DuplicateTypeNamesBothFiles) {
  Registry registry;
  EXPECT_THAT(loadPluginFile(fixture("dup_a"), registry).loaded, ElementsAre(fixture("dup_a")));
  LoadReport b = loadPluginFile(fixture("dup_b"), registry);
  EXPECT_THAT(b.refusals,
              ElementsAre(fixture("dup_b") +
                          ": refused: duplicate processor type 'abi_dup' (already "
                          "loaded from " +
                          fixture("dup_a") + ", got it again from " + fixture("dup_b") + ")"));
  EXPECT_EQ(registry.find(STRATA_KIND_PROCESSOR, "abi_dup")->path, fixture("dup_a"));
}

TEST(Loader, WholeDirectoryRefusesEachBadFileAndLoadsTheRest) {
  Registry registry;
  LoadReport report = loadPluginDirs({kDir, kDir + "/missing"}, registry);
  std::vector<std::string> expected;
  for (const auto& c : refusalCases())
    expected.insert(expected.end(), c.refusals.begin(), c.refusals.end());
  expected.push_back(fixture("dup_b") + ": refused: duplicate processor type 'abi_dup' (already " +
                     "loaded from " + fixture("dup_a") + ", got it again from " + fixture("dup_b") +
                     ")");
  expected.push_back(kDir + "/missing: refused: plugin directory not found (expected a " +
                     "directory, got nothing)");
  EXPECT_THAT(report.refusals, ::testing::UnorderedElementsAreArray(expected));
  std::vector<std::string> loaded = {fixture("dup_a"), fixture("good"), fixture("minor_zero")};
#if STRATA_ABI_HAVE_SANITIZER_FIXTURE && defined(__SANITIZE_ADDRESS__)
  loaded.push_back(fixture("sanitizer_needed"));  // the host has libasan too: it loads
#endif
  EXPECT_THAT(report.loaded, ElementsAreArray(loaded));  // sorted by file name
}

TEST(Loader, SameDirectoryTwiceLoadsOnce) {
  Registry once, twice;
  LoadReport single = loadPluginDirs({kDir}, once);
  // The same directory reached twice in one search path (e.g. a --plugin-dir that is also in
  // STRATA_PLUGIN_PATH) is scanned once: no self-inflicted duplicate refusals.
  LoadReport doubled = loadPluginDirs({kDir, kDir + "/."}, twice);
  EXPECT_EQ(doubled.loaded, single.loaded);
  EXPECT_EQ(doubled.refusals, single.refusals);
  // A later call skips files already registered instead of refusing them as duplicates.
  LoadReport again = loadPluginDirs({kDir}, once);
  EXPECT_THAT(again.loaded, IsEmpty());
  EXPECT_EQ(again.refusals, single.refusals);
}

TEST(Loader, AcceptedPluginStaysMapped) {
  Registry registry;
  ASSERT_THAT(loadPluginFile(fixture("good"), registry).refusals, IsEmpty());
  registry = Registry();  // drops every PluginHandle; RTLD_NODELETE keeps the code mapped
  void* h = dlopen(fixture("good").c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(h, nullptr);
  if (h) dlclose(h);
}

// ABI 1.1 appended fields (batch metadata, queryable.metadata): a plugin built for 1.0 still
// loads into this host.
TEST(Loader, OlderMinorLoads) {
  static_assert(STRATA_ABI_MINOR >= 1, "the fixture is meant to be older than the host");
  Registry registry;
  LoadReport r = loadPluginFile(fixture("minor_zero"), registry);
  EXPECT_THAT(r.refusals, IsEmpty());
  EXPECT_THAT(r.loaded, ElementsAre(fixture("minor_zero")));
  EXPECT_NE(registry.find(STRATA_KIND_RECEIVER, "abi_minor_zero"), nullptr);
}

TEST(Loader, MissingFile) {
  Registry registry;
  EXPECT_THAT(
      loadPluginFile(kDir + "/nope.so", registry).refusals,
      ElementsAre(kDir + "/nope.so: refused: cannot read file (No such file or " + "directory)"));
  EXPECT_THAT(loadPluginFile(kDir, registry).refusals,
              ElementsAre(kDir + ": refused: cannot read file (not a regular file)"));
}

TEST(Loader, DefaultDirsHonourEnvironment) {
  setenv("STRATA_PLUGIN_PATH", "/a::/b", 1);
  auto dirs = defaultPluginDirs();
  unsetenv("STRATA_PLUGIN_PATH");
  ASSERT_EQ(dirs.size(), 3u);
  EXPECT_EQ(dirs[0], "/a");
  EXPECT_EQ(dirs[1], "/b");
  EXPECT_TRUE(dirs[2] == STRATA_BUILD_PLUGIN_DIR || dirs[2] == STRATA_DEFAULT_PLUGIN_DIR);
}

}  // namespace
}  // namespace strata::plugin
