// external_labels adds labels only where the series has none of that name (Prometheus'
// semantics: the series' own value wins), keeping samples, tenant and flags.
#include "external_labels.h"

#include <gtest/gtest.h>

#include "fake_host.h"
#include "yaml_config.h"

namespace strata::external_labels {
namespace {

const strata_option_def kOpts[] = {
    sdk::option("labels", STRATA_OPT_STRING_MAP, nullptr, "labels"),
};

TEST(ExternalLabelsTest, AddsOnlyMissingLabels) {
  testing::YamlConfig cfg("labels: {cluster: c1, region: eu, replica: r0}", kOpts);
  ASSERT_TRUE(cfg.ok());
  testing::FakeHost fake;
  ExternalLabels p(fake.host(), cfg.view());
  sdk::BatchBuilder b("t");
  b.beginSeries({{"__name__", "up"}, {"region", "us"}});
  b.addSample(5, 1);
  b.beginSeries({{"__name__", "x"}});
  b.addSample(6, 2);
  b.addSample(7, 3);
  ASSERT_EQ(p.consume(b.finish(STRATA_BATCH_ACK_ON_DELIVERY)), STRATA_OK);
  auto out = fake.emitted();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].tenant, "t");
  EXPECT_EQ(out[0].flags, STRATA_BATCH_ACK_ON_DELIVERY);
  EXPECT_EQ(out[0].lines,
            "up{cluster=\"c1\",region=\"us\",replica=\"r0\"} 1 5\n"
            "x{cluster=\"c1\",region=\"eu\",replica=\"r0\"} 2 6\n"
            "x{cluster=\"c1\",region=\"eu\",replica=\"r0\"} 3 7\n");
}

TEST(ExternalLabelsTest, InvalidNamesAreReported) {
  testing::YamlConfig cfg("labels: {'__reserved': a, 'bad-name': b, ok: ''}", kOpts);
  ASSERT_TRUE(cfg.ok());
  auto problems = testing::runValidate(&ExternalLabels::validate, cfg.view());
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].rfind("labels.__reserved: ", 0), 0u) << problems[0];
  EXPECT_EQ(problems[1].rfind("labels.bad-name: ", 0), 0u) << problems[1];
  EXPECT_EQ(problems[2].rfind("labels.ok: ", 0), 0u) << problems[2];
  testing::FakeHost fake;
  EXPECT_THROW(ExternalLabels(fake.host(), cfg.view()), std::invalid_argument);
}

}  // namespace
}  // namespace strata::external_labels
