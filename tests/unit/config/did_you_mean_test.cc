#include "core/config/did_you_mean.h"

#include <gtest/gtest.h>

namespace strata::config {
namespace {

TEST(DidYouMean, EditDistance) {
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("same", "same"), 0u);
}

TEST(DidYouMean, SuggestsTheClosestWithinTheLimit) {
  std::vector<std::string> options = {"interval", "listen_address", "targets"};
  EXPECT_EQ(didYouMean("intervall", options), "interval");
  EXPECT_EQ(didYouMean("listen_adress", options), "listen_address");
  EXPECT_EQ(didYouMean("zzz", options), "");
  // The limit grows with the word: max(2, len/3).
  EXPECT_EQ(didYouMean("lissen_adres", options), "listen_address");  // 3 edits, len 12
  EXPECT_EQ(didYouMean("tgts", options), "");                        // 3 edits, len 4
  EXPECT_EQ(didYouMeanHint("targts", options), "did you mean 'targets'?");
  EXPECT_EQ(didYouMeanHint("nothing_close", options), "");
}

TEST(DidYouMean, JoinNames) {
  EXPECT_EQ(joinNames({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(joinNames({}), "");
}

}  // namespace
}  // namespace strata::config
