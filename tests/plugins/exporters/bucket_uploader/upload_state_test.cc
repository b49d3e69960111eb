// The upload state survives a reopen (a restart): pending blocks are resumed, done ones are
// never shipped again.
#include "upload_state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace strata::uploader {
namespace {

TEST(UploadState, PendingAndDoneSurviveAReopen) {
  auto dir =
      std::filesystem::temp_directory_path() / ("upload_state_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  {
    UploadState s(dir.string());
    s.markPending({"A", "tenant-a", "/data/a", 100});
    s.markPending({"B", "tenant-b", "/data/b", 200});
    s.markPending({"C", "tenant-c", "/data/c", 300});
    s.markDone("A", 150);
    s.markLost("C");
  }
  UploadState s(dir.string());
  EXPECT_EQ(s.state("A"), BlockState::kDone);
  EXPECT_EQ(s.state("B"), BlockState::kPending);
  EXPECT_EQ(s.state("C"), BlockState::kLost);
  EXPECT_EQ(s.state("D"), BlockState::kUnknown);
  auto pending = s.pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].ulid, "B");
  EXPECT_EQ(pending[0].tenant, "tenant-b");
  EXPECT_EQ(pending[0].dir, "/data/b");
  EXPECT_EQ(pending[0].accepted_ms, 200);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace strata::uploader
