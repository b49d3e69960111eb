// The relabel processor rebuilds batches: dropped series vanish (and are counted), labels are
// rewritten, samples, tenant and flags are kept; a bad config refuses create and validate.
#include "relabel_processor.h"

#include <gtest/gtest.h>

#include "fake_host.h"
#include "yaml_config.h"

namespace strata::relabel {
namespace {

const strata_option_def kOpts[] = {
    sdk::object("relabel_configs", STRATA_OPT_OBJECT_LIST, "rules", kRuleOptions),
};

strata_metrics_batch* input() {
  sdk::BatchBuilder b("tenant-a");
  b.beginSeries({{"__name__", "up"}, {"job", "node"}, {"instance", "h1:9100"}});
  b.addSample(1000, 1);
  b.addSample(2000, 0);
  b.beginSeries({{"__name__", "go_gc_duration_seconds"}, {"job", "node"}});
  b.addSample(1000, 0.5);
  return b.finish(STRATA_BATCH_ACK_ON_DELIVERY);
}

TEST(RelabelProcessorTest, DropsRewritesAndCounts) {
  testing::YamlConfig cfg(R"(relabel_configs:
- {source_labels: [__name__], regex: 'go_.*', action: drop}
- {source_labels: [instance], regex: '([^:]+):.*', target_label: host}
- {regex: instance, action: labeldrop}
)",
                          kOpts);
  ASSERT_TRUE(cfg.ok());
  testing::FakeHost fake;
  RelabelProcessor p(fake.host(), cfg.view());
  ASSERT_EQ(p.consume(input()), STRATA_OK);
  auto out = fake.emitted();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tenant, "tenant-a");
  EXPECT_EQ(out[0].flags, STRATA_BATCH_ACK_ON_DELIVERY);
  EXPECT_EQ(out[0].lines,
            "up{host=\"h1\",job=\"node\"} 1 1000\nup{host=\"h1\",job=\"node\"} 0 2000\n");
  EXPECT_EQ(fake.metric("strata_relabel_series_dropped_total"), 1);
  EXPECT_EQ(fake.metric("strata_relabel_samples_dropped_total"), 1);
}

TEST(RelabelProcessorTest, NoRulesPassesThrough) {
  testing::YamlConfig cfg("relabel_configs: []", kOpts);
  ASSERT_TRUE(cfg.ok());
  testing::FakeHost fake;
  RelabelProcessor p(fake.host(), cfg.view());
  fake.setEmitStatus(STRATA_RETRY);
  EXPECT_EQ(p.consume(input()), STRATA_RETRY);  // the downstream status comes back
  ASSERT_EQ(fake.emitted().size(), 1u);
  EXPECT_EQ(fake.emitted()[0].samples, 3u);
}

TEST(RelabelProcessorTest, BadConfigIsRefusedWithPath) {
  testing::YamlConfig cfg("relabel_configs:\n- {action: hashmod, target_label: x}", kOpts);
  ASSERT_TRUE(cfg.ok());
  testing::FakeHost fake;
  EXPECT_THROW(RelabelProcessor(fake.host(), cfg.view()), std::invalid_argument);
  auto problems = testing::runValidate(&RelabelProcessor::validate, cfg.view());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("relabel_configs.0.modulus: ", 0), 0u) << problems[0];
}

}  // namespace
}  // namespace strata::relabel
