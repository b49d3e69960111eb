// Metric family metadata in the block_store: the latest per tenant and family, metadata-only
// batches, the limit, and the Queryable's metadata slot (and its absence for a 1.0 caller).
#include "store_test_util.h"

namespace strata::block_store::testing {
namespace {

using sdk::MetricMetadata;

strata_metrics_batch* metadataBatch(const std::string& tenant,
                                    const std::vector<MetricMetadata>& items, bool with_series) {
  sdk::BatchBuilder b(tenant);
  if (with_series) {
    b.beginSeries({{"__name__", "node_load1"}});
    b.addSample(1000, 0.5);
  }
  for (const auto& m : items) b.addMetadata(m.family, m.type, m.help, m.unit);
  return b.finish();
}

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tempDir("meta");
    f_ = std::make_unique<StoreFixture>(dir_);
    f_->set("metadata_limit", 3);
    store_ = f_->open();
  }
  void TearDown() override {
    store_->stop();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
  std::unique_ptr<StoreFixture> f_;
  std::unique_ptr<BlockStore> store_;
};

TEST_F(MetadataTest, LatestPerTenantAndFamily) {
  ASSERT_EQ(store_->consume(
                metadataBatch("a", {{"node_load1", STRATA_FAMILY_GAUGE, "1m load.", ""}}, true)),
            STRATA_OK);
  EXPECT_EQ(dumpLines(*store_, "a"), "node_load1 0.5 1000\n");  // series still stored
  ASSERT_EQ(store_->consume(
                metadataBatch("a",
                              {{"node_load1", STRATA_FAMILY_GAUGE, "1m load average.", ""},
                               {"cpu_seconds_total", STRATA_FAMILY_COUNTER, "CPU.", "seconds"}},
                              false)),
            STRATA_OK);
  ASSERT_EQ(store_->consume(metadataBatch("", {{"up", STRATA_FAMILY_GAUGE, "Up.", ""}},
                                          false)),  // default tenant
            STRATA_OK);
  EXPECT_EQ(
      store_->metadata("a", "", 0),
      (std::vector<MetricMetadata>{{"cpu_seconds_total", STRATA_FAMILY_COUNTER, "CPU.", "seconds"},
                                   {"node_load1", STRATA_FAMILY_GAUGE, "1m load average.", ""}}));
  EXPECT_EQ(store_->metadata("a", "node_load1", 0).size(), 1u);
  EXPECT_TRUE(store_->metadata("a", "nope", 0).empty());
  EXPECT_EQ(store_->metadata("a", "", 1).size(), 1u);
  EXPECT_EQ(store_->metadata("default-tenant", "", 0),
            (std::vector<MetricMetadata>{{"up", STRATA_FAMILY_GAUGE, "Up.", ""}}));
  EXPECT_EQ(store_->metadata("", "", 0).size(), 3u);  // every tenant
  EXPECT_TRUE(store_->metadata("b", "", 0).empty());
}

TEST_F(MetadataTest, LimitDropsNewFamiliesOnly) {
  std::vector<MetricMetadata> four;
  for (auto n : {"a", "b", "c", "d"}) four.push_back({n, STRATA_FAMILY_GAUGE, "h", ""});
  ASSERT_EQ(store_->consume(metadataBatch("t", four, false)), STRATA_OK);
  EXPECT_EQ(store_->metadata("t", "", 0).size(), 3u);
  EXPECT_EQ(f_->fake.metric("strata_block_store_metadata_dropped_total"), 1);
  ASSERT_EQ(store_->consume(metadataBatch("t", {{"a", STRATA_FAMILY_COUNTER, "new", ""}}, false)),
            STRATA_OK);
  EXPECT_EQ(store_->metadata("t", "a", 0)[0].help, "new");  // known families still update
}

TEST_F(MetadataTest, QueryableSlot) {
  ASSERT_EQ(store_->consume(metadataBatch("t", {{"x", STRATA_FAMILY_SUMMARY, "X.", ""}}, false)),
            STRATA_OK);
  strata_queryable q{};
  q.struct_size = sizeof q;
  ASSERT_EQ(store_->queryable(&q), STRATA_OK);
  std::vector<MetricMetadata> got;
  strata_status st;
  ASSERT_TRUE(sdk::queryMetadata(q, "t", "", 0, &got, &st));
  EXPECT_EQ(st, STRATA_OK);
  EXPECT_EQ(got, (std::vector<MetricMetadata>{{"x", STRATA_FAMILY_SUMMARY, "X.", ""}}));

  // A 1.0 caller has no room for the slot: it is neither written nor claimed.
  struct {
    strata_queryable q;
  } old{};
  old.q.struct_size = offsetof(strata_queryable, metadata);
  ASSERT_EQ(store_->queryable(&old.q), STRATA_OK);
  EXPECT_EQ(old.q.struct_size, offsetof(strata_queryable, metadata));
  EXPECT_EQ(old.q.metadata, nullptr);
  EXPECT_FALSE(sdk::queryMetadata(old.q, "t", "", 0, &got, &st));
}

}  // namespace
}  // namespace strata::block_store::testing
