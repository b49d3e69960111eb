// ABI 1.1 metadata: the appended fields sit after the 1.0 layout, the struct_size gates say
// "absent" for 1.0-sized structs, and the SDK round-trips metadata through a batch and through
// a Queryable's metadata slot.
#include <gtest/gtest.h>

#include <cstddef>
#include <strata/sdk.hpp>

namespace strata::sdk {
namespace {

// The 1.0 sizes: everything up to and including the last 1.0 field.
constexpr size_t kBatch10 =
    offsetof(strata_metrics_batch, private_data) + sizeof(strata_metrics_batch::private_data);
constexpr size_t kQueryable10 =
    offsetof(strata_queryable, label_values) + sizeof(strata_queryable::label_values);

TEST(MetadataAbi, AppendedAfterThe10Layout) {
  static_assert(STRATA_ABI_MAJOR == 1 && STRATA_ABI_MINOR >= 1);
  EXPECT_GE(offsetof(strata_metrics_batch, metadata), kBatch10);
  EXPECT_EQ(sizeof(strata_metrics_batch),
            offsetof(strata_metrics_batch, metadata_count) + sizeof(size_t));
  EXPECT_GE(offsetof(strata_queryable, metadata), kQueryable10);
  EXPECT_EQ(offsetof(strata_queryable, info), offsetof(strata_queryable, metadata) + sizeof(void*));
  EXPECT_EQ(sizeof(strata_queryable), offsetof(strata_queryable, info) + sizeof(void*));
}

TEST(SourceInfoAbi, InfoSlotIsGatedByStructSize) {
  // A 1.1 plugin built before the info slot fills a Queryable up to `metadata`: no info.
  strata_queryable q{};
  q.struct_size = offsetof(strata_queryable, info);
  EXPECT_TRUE(STRATA_QUERYABLE_HAS_METADATA(&q));
  EXPECT_FALSE(STRATA_QUERYABLE_HAS_INFO(&q));
  strata::sdk::SourceInfo info;
  EXPECT_FALSE(strata::sdk::querySourceInfo(q, "", &info));
  strata::sdk::setInfoSlot(&q, [](void*, strata_str, strata_source_info*) { return STRATA_OK; });
  EXPECT_EQ(q.info, nullptr);  // no room: never written
  q.struct_size = sizeof q;
  strata::sdk::setInfoSlot(&q, [](void*, strata_str tenant, strata_source_info* out) {
    strata::sdk::SourceInfo i;
    i.min_time_ms = 10;
    i.max_time_ms = strata::sdk::view(tenant) == "t" ? 20 : 30;
    i.label_sets = {{{"cluster", "a"}, {"replica", "1"}}};
    strata::sdk::fillSourceInfo(i, out);
    return STRATA_OK;
  });
  ASSERT_TRUE(strata::sdk::querySourceInfo(q, "t", &info));
  EXPECT_EQ(info.min_time_ms, 10);
  EXPECT_EQ(info.max_time_ms, 20);
  ASSERT_EQ(info.label_sets.size(), 1u);
  EXPECT_EQ(info.label_sets[0].at("replica"), "1");
  auto acceptsClusterA = [](const std::string& n, const std::string& v) {
    return n != "cluster" || v == "a";
  };
  EXPECT_TRUE(info.mayMatch(0, 10, acceptsClusterA));
  EXPECT_FALSE(info.mayMatch(21, 40, acceptsClusterA));  // after its range
  EXPECT_FALSE(info.mayMatch(0, 40, [](const std::string& n, const std::string& v) {
    return n != "cluster" || v == "b";
  }));
}

TEST(MetadataAbi, StructSizeGates) {
  strata_metrics_batch b{};
  b.struct_size = kBatch10;
  EXPECT_FALSE(STRATA_BATCH_HAS_METADATA(&b));
  b.struct_size = sizeof b;
  EXPECT_TRUE(STRATA_BATCH_HAS_METADATA(&b));
  strata_queryable q{};
  q.struct_size = kQueryable10;
  EXPECT_FALSE(STRATA_QUERYABLE_HAS_METADATA(&q));
  q.struct_size = sizeof q;
  EXPECT_TRUE(STRATA_QUERYABLE_HAS_METADATA(&q));
}

TEST(MetadataSdk, BatchRoundTrip) {
  BatchBuilder b("t1");
  b.beginSeries({{"__name__", "up"}});
  b.addSample(1, 1);
  b.addMetadata("node_cpu_seconds_total", STRATA_FAMILY_COUNTER, "Seconds the CPUs spent.", "");
  b.addMetadata("node_load1", STRATA_FAMILY_GAUGE, "1m load average.", "ratio");
  OwnedBatch owned(b.finish());
  BatchView v = owned.view();
  ASSERT_EQ(v.metadataCount(), 2u);
  EXPECT_EQ(MetricMetadata::of(v.metadata(0)),
            (MetricMetadata{"node_cpu_seconds_total", STRATA_FAMILY_COUNTER,
                            "Seconds the CPUs spent.", ""}));
  EXPECT_EQ(MetricMetadata::of(v.metadata(1)),
            (MetricMetadata{"node_load1", STRATA_FAMILY_GAUGE, "1m load average.", "ratio"}));
  EXPECT_EQ(v.seriesCount(), 1u);

  BatchBuilder copy;  // what a processor that rebuilds a batch does
  copy.copyMetadata(v);
  OwnedBatch again(copy.finish());
  ASSERT_EQ(again.view().metadataCount(), 2u);
  EXPECT_EQ(view(again.view().metadata(1).unit), "ratio");
}

TEST(MetadataSdk, OnlyMetadataAndNoMetadata) {
  BatchBuilder only;
  only.addMetadata("x", STRATA_FAMILY_INFO, "h", "");
  OwnedBatch a(only.finish());
  EXPECT_EQ(a.view().seriesCount(), 0u);
  EXPECT_EQ(a.view().metadataCount(), 1u);
  OwnedBatch none(BatchBuilder().finish());
  EXPECT_EQ(none.view().metadataCount(), 0u);
  EXPECT_EQ(none.get()->metadata, nullptr);
  // A 1.0 plugin's batch: the reader must not look past struct_size.
  strata_metrics_batch old{};
  old.struct_size = kBatch10;
  old.metadata = reinterpret_cast<const strata_metric_metadata*>(0x1);  // garbage past the end
  old.metadata_count = 5;
  EXPECT_EQ(BatchView(&old).metadataCount(), 0u);
}

TEST(MetadataSdk, TypeNames) {
  EXPECT_EQ(familyTypeName(STRATA_FAMILY_COUNTER), "counter");
  EXPECT_EQ(familyTypeName(STRATA_FAMILY_GAUGEHISTOGRAM), "gaugehistogram");
  EXPECT_EQ(familyTypeName(99), "unknown");
  EXPECT_EQ(familyTypeFromName("summary"), STRATA_FAMILY_SUMMARY);
  EXPECT_EQ(familyTypeFromName("untyped"), STRATA_FAMILY_UNKNOWN);
  EXPECT_EQ(familyTypeFromName("stateset"), STRATA_FAMILY_STATESET);
}

strata_status answer(void*, strata_str tenant, strata_str metric, size_t limit,
                     strata_metadata_list* out) {
  std::vector<MetricMetadata> items = {{std::string(view(tenant)), STRATA_FAMILY_GAUGE, "h", ""},
                                       {std::string(view(metric)), 0, std::to_string(limit), ""}};
  fillMetadataList(std::move(items), out);
  return STRATA_OK;
}

TEST(MetadataSdk, QueryableSlotRoundTrip) {
  strata_queryable q{};
  q.struct_size = sizeof q;
  q.metadata = answer;
  std::vector<MetricMetadata> got;
  strata_status st;
  ASSERT_TRUE(queryMetadata(q, "tenant_a", "m", 7, &got, &st));
  EXPECT_EQ(st, STRATA_OK);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].family, "tenant_a");
  EXPECT_EQ(got[1].family, "m");
  EXPECT_EQ(got[1].help, "7");
  q.struct_size = kQueryable10;  // a 1.0 source: slot absent, nothing called
  got.clear();
  EXPECT_FALSE(queryMetadata(q, "t", "", 0, &got, &st));
  EXPECT_TRUE(got.empty());
}

}  // namespace
}  // namespace strata::sdk
