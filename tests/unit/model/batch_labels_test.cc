#include "core/model/batch_labels.h"

#include <gtest/gtest.h>

#include <cstring>
#include <stdexcept>
#include <strata/sdk/batch.hpp>

namespace strata::model {
namespace {

TEST(BatchLabels, LabelsAndSamplesOfASeries) {
  sdk::BatchBuilder builder("tenant-a");
  builder.beginSeries({{"__name__", "up"}, {"job", "a"}});
  builder.addSample(1000, 1);
  builder.beginSeries({{"job", "b"}, {"__name__", "up"}});
  builder.addSample(2000, 0);
  builder.addSample(3000, staleNaN());
  sdk::OwnedBatch batch(builder.finish());

  Labels second = labelsOf(*batch.get(), 1);
  EXPECT_EQ(second.toString(), "up{job=\"b\"}");
  EXPECT_EQ(second.hash(), batch.get()->series[1].hash);
  auto samples = samplesOf(*batch.get(), 1);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].t_ms, 2000);
  EXPECT_EQ(samples[0].v, 0);
  EXPECT_TRUE(isStale(samples[1]));
  EXPECT_FALSE(isStaleNaN(std::nan("")));  // an ordinary NaN is a value, not a marker
  EXPECT_THROW(labelsOf(*batch.get(), 2), std::invalid_argument);
}

TEST(BatchLabels, DuplicateNamesInABatchAreReported) {
  strata_label labels[] = {{{"a", 1}, {"1", 1}}, {{"a", 1}, {"2", 1}}};
  strata_series_ref ref{};
  ref.label_count = 2;
  strata_metrics_batch batch{};
  batch.series = &ref;
  batch.series_count = 1;
  batch.labels = labels;
  batch.label_count = 2;
  try {
    labelsOf(batch, 0);
    FAIL() << "expected an exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::strstr(e.what(), "duplicate label name \"a\""), nullptr) << e.what();
  }
}

}  // namespace
}  // namespace strata::model
