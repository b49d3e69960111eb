// Drives the example plugin through the loader and its C vtable with a fake host, so the
// plugin's behaviour is checked even where the full host is not built. (The integration test
// run_sdk_consumer.sh builds the same source out of tree against the installed SDK.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <strata/sdk/batch.hpp>
#include <string>
#include <vector>

#include "core/plugin/loader.h"

namespace strata::plugin {
namespace {

struct FakeHost {
  std::vector<std::string> emitted;  // one "labels|samples" line per emitted series
  std::string error;
  int released = 0;
};
FakeHost* g_host = nullptr;

strata_status emit(strata_host_ctx*, strata_metrics_batch* b) {
  sdk::BatchView v(b);
  for (size_t i = 0; i < v.seriesCount(); ++i) {
    std::string line;
    for (uint32_t j = 0; j < v.series(i).label_count; ++j)
      line += std::string(sdk::view(v.labels(i)[j].name)) + "=" +
              std::string(sdk::view(v.labels(i)[j].value)) + ",";
    line += "|" + std::to_string(v.series(i).sample_count);
    g_host->emitted.push_back(line);
  }
  b->release(b);
  return STRATA_OK;
}
void setError(strata_host_ctx*, strata_str m) { g_host->error.assign(m.data, m.len); }
strata_metric* metric(strata_host_ctx*, uint32_t, strata_str, strata_str, const strata_str*,
                      size_t) {
  return nullptr;  // the SDK's Metric is a no-op on null
}

strata_value str(const char* s) {
  strata_value v{};
  v.kind = STRATA_VALUE_STRING;
  v.string_value = {s, std::char_traits<char>::length(s)};
  return v;
}

class ExampleTagger : public ::testing::Test {
 protected:
  void SetUp() override {
    g_host = &host_;
    api_.struct_size = sizeof(api_);
    api_.emit_metrics = emit;
    api_.set_error = setError;
    api_.metric = metric;
    LoadReport r = loadPluginFile(STRATA_EXAMPLE_TAGGER_PLUGIN, registry_);
    ASSERT_TRUE(r.refusals.empty()) << r.refusals[0];
    type_ = registry_.find(STRATA_KIND_PROCESSOR, "example_tagger");
    ASSERT_NE(type_, nullptr);
  }
  strata_status create(std::vector<strata_str> keys, std::vector<strata_value> values) {
    keys_ = std::move(keys);
    values_ = std::move(values);
    config_ = {};
    config_.kind = STRATA_VALUE_MAP;
    config_.keys = keys_.data();
    config_.items = values_.data();
    config_.count = keys_.size();
    return type_->def->vtable->create(&api_, ctx(), &config_, &instance_);
  }
  strata_host_ctx* ctx() { return reinterpret_cast<strata_host_ctx*>(&host_); }

  FakeHost host_;
  strata_host_api api_{};
  Registry registry_;
  const ComponentType* type_ = nullptr;
  std::vector<strata_str> keys_;
  std::vector<strata_value> values_;
  strata_value config_{};
  void* instance_ = nullptr;
};

TEST_F(ExampleTagger, AddsTheLabelToEverySeries) {
  ASSERT_EQ(create({{"label_name", 10}, {"label_value", 11}}, {str("tagged_by"), str("team_a")}),
            STRATA_OK);
  sdk::BatchBuilder b("tenant1");
  b.beginSeries({{"__name__", "up"}, {"job", "x"}});
  b.addSample(1000, 1);
  b.addSample(2000, 1);
  b.beginSeries({{"__name__", "up"}, {"tagged_by", "old"}});
  b.addSample(1000, 0);
  EXPECT_EQ(type_->def->vtable->consume_metrics(instance_, b.finish()), STRATA_OK);
  EXPECT_THAT(host_.emitted, ::testing::ElementsAre("__name__=up,job=x,tagged_by=team_a,|2",
                                                    "__name__=up,tagged_by=team_a,|1"));
  type_->def->vtable->destroy(instance_);
}

TEST_F(ExampleTagger, EmptyValueFailsCreateWithMessage) {
  EXPECT_EQ(create({{"label_value", 11}}, {str("")}), STRATA_FAILED);
  EXPECT_EQ(host_.error, "label_value must not be empty");
}

TEST_F(ExampleTagger, ValidateReportsBadLabelName) {
  std::vector<std::string> reports;
  strata_diag_sink sink{[](strata_diag_sink* s, const char* path, const char* msg) {
                          static_cast<std::vector<std::string>*>(s->private_data)
                              ->push_back(std::string(path) + ": " + msg);
                        },
                        &reports};
  strata_str keys[] = {{"label_name", 10}, {"label_value", 11}};
  strata_value values[] = {str("9bad"), str("v")};
  strata_value cfg{};
  cfg.kind = STRATA_VALUE_MAP;
  cfg.keys = keys;
  cfg.items = values;
  cfg.count = 2;
  type_->def->vtable->validate(&cfg, &sink);
  EXPECT_THAT(reports, ::testing::ElementsAre("label_name: '9bad' is not a valid label name "
                                              "([a-zA-Z_][a-zA-Z0-9_]*, no __)"));
}

}  // namespace
}  // namespace strata::plugin
