// ScrapedSamples: samples in order, append and tail, and label bytes shared with a batch that
// stay as they were when the samples change afterwards (copy-on-write).
#include "scraped_samples.h"

#include <gtest/gtest.h>

namespace strata::scrape {
namespace {

TEST(ScrapedSamplesTest, KeepsSamplesInOrder) {
  ScrapedSamples s;
  s.add("a", 1, 1.5);
  s.add("bb", 2, 2.5);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s.at(0).labels, "a");
  EXPECT_EQ(s.at(1).labels, "bb");
  EXPECT_EQ(s.at(1).timestamp_ms, 2);
  EXPECT_EQ(s.at(1).value, 2.5);
  s.setValue(0, 9);
  EXPECT_EQ(s.at(0).value, 9);
}

TEST(ScrapedSamplesTest, AppendAndTail) {
  ScrapedSamples a, b;
  a.add("x", 1, 1);
  b.add("y", 2, 2);
  b.add("z", 3, 3);
  a.append(b);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a.at(2).labels, "z");
  ScrapedSamples t = a.tail(1);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.at(0).labels, "y");
  EXPECT_EQ(t.at(1).timestamp_ms, 3);
  EXPECT_TRUE(a.tail(3).empty());
}

TEST(ScrapedSamplesTest, SharedBytesDoNotChangeWhenSamplesAreAdded) {
  ScrapedSamples s;
  s.add("first", 1, 1);
  std::shared_ptr<const std::string> held = s.labelBytes();  // as a batch keeps them
  const char* data = held->data();
  for (int i = 0; i < 1000; ++i) s.add("more labels", i, i);
  EXPECT_EQ(*held, "first");
  EXPECT_EQ(held->data(), data) << "a batch's views into the bytes stay valid";
  EXPECT_EQ(s.at(0).labels, "first");
  EXPECT_EQ(s.at(1000).labels, "more labels");
}

}  // namespace
}  // namespace strata::scrape
