#include "core/graph/plan_diff.h"

#include <gtest/gtest.h>

namespace strata::graph {
namespace {

constexpr strata_option_def kOpts[] = {
    {sizeof(strata_option_def), "n", STRATA_OPT_INT, 0, "1", "", nullptr, 0}};
const strata_component_def kRecv = {sizeof(strata_component_def),
                                    STRATA_KIND_RECEIVER,
                                    "recv",
                                    "",
                                    "",
                                    0,
                                    STRATA_EDGE_METRICS,
                                    0,
                                    0,
                                    kOpts,
                                    1,
                                    nullptr};
const strata_component_def kSink = {sizeof(strata_component_def),
                                    STRATA_KIND_EXPORTER,
                                    "sink",
                                    "",
                                    "",
                                    STRATA_EDGE_METRICS,
                                    0,
                                    0,
                                    0,
                                    kOpts,
                                    1,
                                    nullptr};

const plugin::Registry& registry() {
  static const plugin::Registry r = [] {
    plugin::Registry reg;
    reg.add({{STRATA_KIND_RECEIVER, "recv", &kRecv, nullptr, "f.so", "f", "0"},
             {STRATA_KIND_EXPORTER, "sink", &kSink, nullptr, "f.so", "f", "0"}});
    return reg;
  }();
  return r;
}

std::string diff(const std::string& a, const std::string& b) {
  PlanResult old = planText(a, "old.yaml", registry());
  PlanResult neu = planText(b, "new.yaml", registry());
  EXPECT_TRUE(old.plan && neu.plan);
  if (!old.plan || !neu.plan) return "";
  std::string out;
  for (const DiffEntry& e : diffPlans(*old.plan, *neu.plan)) {
    out += std::string(actionName(e.action)) + " " + e.id;
    out += e.reason.empty() ? "\n" : " (" + e.reason + ")\n";
  }
  return out;
}

constexpr const char* kOld = R"(
receivers: {recv/a: {n: 1}, recv/b: {}}
exporters: {sink/x: {}, sink/y: {}}
pipelines: {metrics: {receivers: [recv/a, recv/b], exporters: [sink/x, sink/y]}}
)";

TEST(PlanDiff, IdenticalPlansKeepEverything) {
  EXPECT_EQ(diff(kOld, kOld), "keep recv/a\nkeep recv/b\nkeep sink/x\nkeep sink/y\n");
}

TEST(PlanDiff, DefaultsAndSpellingDoNotCountAsChanges) {
  // recv/a's n: 1 is also the default: writing it or not means the same.
  EXPECT_EQ(diff(kOld, R"(
exporters: {sink/y: {}, sink/x: {n: +1}}
receivers: {recv/b: {}, recv/a: {}}
pipelines: {metrics: {receivers: [recv/b, recv/a], exporters: [sink/y, sink/x]}}
)"),
            "keep recv/a\nkeep recv/b\nkeep sink/x\nkeep sink/y\n");
}

TEST(PlanDiff, ConfigWiringAddAndRemove) {
  EXPECT_EQ(diff(kOld, R"(
receivers: {recv/a: {n: 2}, recv/b: {}, recv/c: {}}
exporters: {sink/x: {}}
pipelines:
  metrics: {receivers: [recv/a, recv/c], exporters: [sink/x]}
  metrics/2: {receivers: [recv/b], exporters: [sink/x]}
)"),
            "rebuild recv/a (config changed)\n"
            "rebuild recv/b (wiring changed)\n"
            "add recv/c\n"
            "rebuild sink/x (wiring changed)\n"
            "remove sink/y\n");
}

}  // namespace
}  // namespace strata::graph
