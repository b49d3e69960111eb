// Packed labels: what a scrape's samples and the staleness map carry; they must give back
// exactly the labels packed, long values (multi-byte lengths) and odd bytes included.
#include "packed_labels.h"

#include <gtest/gtest.h>

namespace strata::scrape {
namespace {

TEST(PackedLabelsTest, RoundTrip) {
  std::vector<relabel::Label> labels = {{"__name__", "m"},
                                        {"a", std::string(300, 'x')},
                                        {"b", std::string("nul\0byte", 8)},
                                        {"instance", "127.0.0.1:9100"}};
  std::string packed = packLabels(labels);
  EXPECT_EQ(unpackLabels(packed), labels);
  std::string_view rest = packed, name, value;
  size_t n = 0;
  while (nextPackedLabel(rest, &name, &value)) {
    EXPECT_EQ(name, labels[n].name);
    EXPECT_EQ(value, labels[n].value);
    ++n;
  }
  EXPECT_EQ(n, labels.size());
}

TEST(PackedLabelsTest, EmptyAndTruncated) {
  EXPECT_TRUE(unpackLabels("").empty());
  std::string packed = packLabels({{"name", "value"}});
  EXPECT_TRUE(unpackLabels(std::string_view(packed).substr(0, packed.size() - 1)).empty());
}

}  // namespace
}  // namespace strata::scrape
