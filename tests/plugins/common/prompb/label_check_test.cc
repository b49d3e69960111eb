#include "prompb/label_check.h"

#include <gtest/gtest.h>

#include <string>

namespace pb = strata::prompb;

TEST(LabelCheck, LabelNamesFollowPrometheusPattern) {
  for (const char* ok : {"a", "_", "__name__", "job", "A9_z", "_0"})
    EXPECT_TRUE(pb::validLabelName(ok)) << ok;
  for (const char* bad : {"", "0a", "9", "a-b", "a.b", "a b", "é", "a\xff"})
    EXPECT_FALSE(pb::validLabelName(bad)) << bad;
  std::string with_nul("a\0b", 3);
  EXPECT_FALSE(pb::validLabelName(with_nul));
}

TEST(LabelCheck, Utf8AcceptsAsciiAndMultibyteAtEveryOffset) {
  // The ASCII fast path reads 8 bytes at a time: put the multibyte characters at each offset
  // of a word, and at the very end.
  for (size_t pad = 0; pad < 20; ++pad) {
    std::string prefix(pad, 'x');
    for (const char* ch : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"}) {
      EXPECT_TRUE(pb::validUtf8(prefix + ch)) << pad;
      EXPECT_TRUE(pb::validUtf8(prefix + ch + "abcdefghij")) << pad;
    }
  }
  EXPECT_TRUE(pb::validUtf8(""));
  EXPECT_TRUE(pb::validUtf8(std::string(1000, 'q')));
}

TEST(LabelCheck, Utf8RejectsMalformedAtEveryOffset) {
  for (size_t pad = 0; pad < 20; ++pad) {
    std::string prefix(pad, 'x');
    for (const char* bad : {"\x80",              // stray continuation byte
                            "\xff",              // never valid
                            "\xc3",              // truncated 2-byte sequence
                            "\xc0\xaf",          // overlong
                            "\xed\xa0\x80",      // surrogate
                            "\xf4\x90\x80\x80",  // above U+10FFFF
                            "\xe2\x28\xa1"}) {   // bad continuation
      EXPECT_FALSE(pb::validUtf8(prefix + bad)) << pad;
      EXPECT_FALSE(pb::validUtf8(prefix + bad + "abcdefghijklmnop")) << pad;
    }
  }
}
