// Fan-out views carry what the emitting plugin wrote, ABI 1.1 metadata included, and no more
// than a 1.0 plugin's shorter batch has.
#include <gtest/gtest.h>

#include <cstring>
#include <strata/sdk.hpp>

#include "core/graph/consumer.h"

namespace strata::graph {
namespace {

struct Capture : MetricsConsumer {
  strata_status consume(strata_metrics_batch* b) override {
    sdk::OwnedBatch owned(b);
    size = owned.get()->struct_size;
    sdk::BatchView v = owned.view();
    for (size_t i = 0; i < v.metadataCount(); ++i)
      families.emplace_back(sdk::view(v.metadata(i).metric_family));
    return STRATA_OK;
  }
  uint32_t size = 0;
  std::vector<std::string> families;
};

TEST(MetricsFanout, ViewsCarryMetadata) {
  auto a = std::make_shared<Capture>(), b = std::make_shared<Capture>();
  MetricsFanout fan({a, b});
  sdk::BatchBuilder builder;
  builder.addMetadata("node_load1", STRATA_FAMILY_GAUGE, "load", "");
  EXPECT_EQ(fan.consume(builder.finish()), STRATA_OK);
  EXPECT_EQ(a->families, std::vector<std::string>{"node_load1"});
  EXPECT_EQ(b->families, std::vector<std::string>{"node_load1"});
  EXPECT_EQ(a->size, sizeof(strata_metrics_batch));
}

TEST(MetricsFanout, OlderBatchKeepsItsStructSize) {
  struct Old {  // a 1.0 plugin's batch followed by bytes that are not ours to read
    strata_metrics_batch b;
    char poison[64];
  };
  static bool released = false;
  auto* old = new Old;
  std::memset(old, 0x5a, sizeof *old);
  old->b = strata_metrics_batch{};
  old->b.struct_size = offsetof(strata_metrics_batch, metadata);
  std::memset(reinterpret_cast<char*>(&old->b) + old->b.struct_size, 0x5a,
              sizeof(strata_metrics_batch) - old->b.struct_size);
  old->b.private_data = old;
  old->b.release = [](strata_metrics_batch* self) {
    released = true;
    delete static_cast<Old*>(self->private_data);
  };
  auto a = std::make_shared<Capture>(), b = std::make_shared<Capture>();
  MetricsFanout fan({a, b});
  EXPECT_EQ(fan.consume(&old->b), STRATA_OK);
  EXPECT_EQ(a->size, offsetof(strata_metrics_batch, metadata));
  EXPECT_TRUE(a->families.empty());
  EXPECT_TRUE(released);
}

}  // namespace
}  // namespace strata::graph
