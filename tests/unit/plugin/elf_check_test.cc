#include "core/plugin/elf_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace strata::plugin {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string tempFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(ReadElf, MissingFile) {
  EXPECT_EQ(readElf("/nonexistent/x.so").error, "cannot read file (No such file or directory)");
}

TEST(ReadElf, EmptyAndTextFiles) {
  EXPECT_EQ(readElf(tempFile("empty.so", "")).error,
            "not a shared object (expected an ELF shared object, got an empty file)");
  EXPECT_EQ(readElf(tempFile("text.so", "hello, I am text\n")).error,
            "not a shared object (expected an ELF shared object, got no ELF header)");
}

TEST(ReadElf, TruncatedElf) {
  EXPECT_EQ(readElf(tempFile("trunc.so", std::string("\x7f"
                                                     "ELF\x02\x01\x01",
                                                     7) +
                                             std::string(20, '\0')))
                .error,
            "not a shared object (expected an ELF shared object, got a truncated ELF)");
}

// libgtest is a real shared object this binary needs; libc is in its DT_NEEDED.
TEST(ReadElf, RealSharedObject) {
  ElfInfo info = readElf("/lib/x86_64-linux-gnu/libm.so.6");
  if (!info.error.empty() && info.error.find("cannot read") == 0) GTEST_SKIP() << "no libm";
  EXPECT_EQ(info.error, "");
  EXPECT_THAT(info.needed, Contains(StartsWith("libc.so")));
  EXPECT_THAT(info.dynamic_symbols, Contains("cos"));
}

TEST(Sanitizers, FromNeeded) {
  EXPECT_THAT(sanitizerRuntimes({"libc.so.6", "libasan.so.8", "/x/libtsan.so.2", "libasanx.so"}),
              ElementsAre("libasan.so.8", "/x/libtsan.so.2"));
}

TEST(Sanitizers, HostMatchesBuild) {
#if defined(__SANITIZE_ADDRESS__)
  EXPECT_THAT(hostSanitizerRuntimes(), Contains("libasan"));
#else
  EXPECT_THAT(hostSanitizerRuntimes(), IsEmpty());
#endif
}

}  // namespace
}  // namespace strata::plugin
