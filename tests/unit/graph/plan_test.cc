// planText against a Registry filled in-process with fake component types (no plugin file):
// wiring, topological order, and the graph-level checks.
#include "core/graph/plan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace strata::graph {
namespace {

using ::testing::HasSubstr;

constexpr strata_option_def kQueryOpts[] = {
    {sizeof(strata_option_def), "sources", STRATA_OPT_STRING_LIST, STRATA_OPTF_QUERY_REF, nullptr,
     "", nullptr, 0},
    {sizeof(strata_option_def), "listen", STRATA_OPT_STRING, STRATA_OPTF_LISTEN_ADDRESS, nullptr,
     "", nullptr, 0}};
constexpr strata_option_def kRecvOpts[] = {{sizeof(strata_option_def), "listen", STRATA_OPT_STRING,
                                            STRATA_OPTF_LISTEN_ADDRESS, nullptr, "", nullptr, 0}};

constexpr strata_component_def def(strata_kind kind, const char* type, uint32_t in, uint32_t out,
                                   uint32_t provides = 0, const strata_option_def* opts = nullptr,
                                   size_t n = 0) {
  return {sizeof(strata_component_def),
          static_cast<uint32_t>(kind),
          type,
          "",
          "development",
          in,
          out,
          provides,
          0,
          opts,
          n,
          nullptr};
}

const strata_component_def kRecv =
    def(STRATA_KIND_RECEIVER, "recv", 0, STRATA_EDGE_METRICS, 0, kRecvOpts, 1);
const strata_component_def kProc =
    def(STRATA_KIND_PROCESSOR, "proc", STRATA_EDGE_METRICS, STRATA_EDGE_METRICS);
const strata_component_def kSink = def(STRATA_KIND_EXPORTER, "sink", STRATA_EDGE_METRICS, 0);
const strata_component_def kUpload = def(STRATA_KIND_EXPORTER, "upload", STRATA_EDGE_BLOCKS, 0);
const strata_component_def kStore =
    def(STRATA_KIND_STORAGE, "store", STRATA_EDGE_METRICS, STRATA_EDGE_BLOCKS, STRATA_EDGE_QUERY);
const strata_component_def kBuffer =
    def(STRATA_KIND_STORAGE, "buffer", STRATA_EDGE_METRICS, STRATA_EDGE_METRICS);
const strata_component_def kQuery = def(STRATA_KIND_SERVICE, "query", 0, 0, 0, kQueryOpts, 2);

const plugin::Registry& registry() {
  static const plugin::Registry r = [] {
    plugin::Registry reg;
    std::vector<plugin::ComponentType> types;
    for (const strata_component_def* d :
         {&kRecv, &kProc, &kSink, &kUpload, &kStore, &kBuffer, &kQuery}) {
      types.push_back(
          {static_cast<strata_kind>(d->kind), d->type, d, nullptr, "fake.so", "fake", "0"});
    }
    EXPECT_TRUE(reg.add(types).empty());
    return reg;
  }();
  return r;
}

PlanResult plan(const std::string& yaml) { return planText(yaml, "t.yaml", registry()); }

std::vector<std::string> codes(const PlanResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.items()) out.push_back(d.code);
  return out;
}

const NodeSpec* node(const GraphPlan& p, const std::string& key) {
  for (const NodeSpec& n : p.nodes) {
    if (n.key == key) return &n;
  }
  return nullptr;
}

std::vector<std::string> targets(const GraphPlan& p, const std::string& key) {
  std::vector<std::string> out;
  for (const auto& e : node(p, key)->next) out.push_back(e.to);
  std::sort(out.begin(), out.end());
  return out;
}

size_t indexOf(const GraphPlan& p, const std::string& key) {
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    if (p.nodes[i].key == key) return i;
  }
  return p.nodes.size();
}

constexpr const char* kFull = R"(
receivers: {recv/a: {}, recv/b: {}}
processors: {proc/x: {}, proc/y: {}}
exporters: {sink: {}, upload: {}}
storage: {store: {}}
services: {query: {sources: [store]}}
pipelines:
  metrics/a: {receivers: [recv/a, recv/b], processors: [proc/x, proc/y], exporters: [sink, store]}
  metrics/b: {receivers: [recv/a], processors: [proc/x], exporters: [sink]}
  metrics/c: {receivers: [recv/b], exporters: [sink]}
  metrics/d: {receivers: [recv/b], exporters: [sink]}
  blocks: {receivers: [store], exporters: [upload]}
)";

TEST(Plan, WiresNodesPerOtelRules) {
  PlanResult r = plan(kFull);
  ASSERT_TRUE(r.plan) << r.diagnostics.items().front().message;
  const GraphPlan& p = *r.plan;
  EXPECT_EQ(p.nodes.size(), 9u);  // 2 recv, 3 proc instances, sink, upload, store, query
  EXPECT_EQ(targets(p, "recv/a"),
            (std::vector<std::string>{"metrics/a|proc/x", "metrics/b|proc/x"}));
  // metrics/c and metrics/d both link recv/b -> sink: one edge.
  EXPECT_EQ(targets(p, "recv/b"), (std::vector<std::string>{"metrics/a|proc/x", "sink"}));
  EXPECT_EQ(targets(p, "metrics/a|proc/x"), (std::vector<std::string>{"metrics/a|proc/y"}));
  EXPECT_EQ(targets(p, "metrics/a|proc/y"), (std::vector<std::string>{"sink", "store"}));
  EXPECT_EQ(node(p, "metrics/b|proc/x")->pipeline, "metrics/b");
  EXPECT_EQ(node(p, "metrics/b|proc/x")->component_id, "proc/x");
  ASSERT_EQ(node(p, "store")->next.size(), 1u);
  EXPECT_EQ(node(p, "store")->next[0].edge, STRATA_EDGE_BLOCKS);
  EXPECT_EQ(node(p, "store")->next[0].to, "upload");
  // Topological: every node after all of its upstreams; a query consumer before its provider.
  for (const NodeSpec& n : p.nodes) {
    for (const auto& e : n.next) EXPECT_LT(indexOf(p, n.key), indexOf(p, e.to)) << n.key;
  }
  EXPECT_LT(indexOf(p, "query"), indexOf(p, "store"));
  EXPECT_EQ(p.components.at("query").query_refs, std::vector<std::string>{"store"});
  EXPECT_EQ(p.pipelines.size(), 5u);
  EXPECT_EQ(p.pipelines[4].edge, STRATA_EDGE_BLOCKS);
}

TEST(Plan, CycleThroughAStorageConnectorIsPrintedAsALoop) {
  PlanResult r = plan(R"(
receivers: {recv: {}}
processors: {proc: {}}
storage: {buffer: {}}
pipelines:
  metrics/in: {receivers: [recv], exporters: [buffer]}
  metrics/loop: {receivers: [buffer], processors: [proc], exporters: [buffer]}
)");
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(codes(r), std::vector<std::string>{"cycle"});
  EXPECT_EQ(r.diagnostics.items()[0].message,
            "the pipelines form a cycle: storage 'buffer' -> processor 'proc' (pipeline "
            "metrics/loop) -> storage 'buffer'");
  EXPECT_EQ(r.diagnostics.items()[0].pos.line, 4);
}

TEST(Plan, EdgeTypeMismatchNamesBothEnds) {
  PlanResult r = plan(R"(
receivers: {recv: {}}
exporters: {upload: {}}
pipelines:
  metrics: {receivers: [recv], exporters: [upload]}
)");
  ASSERT_EQ(codes(r), std::vector<std::string>{"type-mismatch"});
  EXPECT_THAT(r.diagnostics.items()[0].message, HasSubstr("exporter 'upload' accepts blocks"));
  EXPECT_THAT(r.diagnostics.items()[0].message, HasSubstr("receiver 'recv'"));
  EXPECT_EQ(r.diagnostics.items()[0].pos.line, 5);
  EXPECT_EQ(r.diagnostics.items()[0].pos.column, 44);
}

TEST(Plan, DanglingAndMisplacedReferences) {
  PlanResult r = plan(R"(
receivers: {recv/a: {}}
exporters: {sink: {}}
pipelines:
  metrics:
    receivers: [recv/b]
    exporters: [sink, recv/a]
)");
  ASSERT_EQ(codes(r), (std::vector<std::string>{"dangling-reference", "wrong-kind"}));
  EXPECT_EQ(r.diagnostics.items()[0].hint, "did you mean 'recv/a'?");
  EXPECT_EQ(r.diagnostics.items()[0].pos.line, 6);
  EXPECT_EQ(r.diagnostics.items()[0].pos.column, 17);
}

TEST(Plan, UnknownTypesSuggestOrPointAtTheRightSection) {
  PlanResult r = plan("receivers: {recx: {}, proc: {}}\n");
  ASSERT_EQ(codes(r), (std::vector<std::string>{"unknown-type", "unknown-type"}));
  EXPECT_EQ(r.diagnostics.items()[0].hint, "did you mean 'recv'?");
  EXPECT_THAT(r.diagnostics.items()[1].message, HasSubstr("'proc' is a processor"));
}

TEST(Plan, UnusedComponentIsOnlyAWarning) {
  PlanResult r = plan(R"(
receivers: {recv: {}, recv/spare: {}}
exporters: {sink: {}}
storage: {store: {}}
services: {query: {sources: [store]}}
pipelines: {metrics: {receivers: [recv], exporters: [sink]}}
)");
  ASSERT_TRUE(r.plan);
  ASSERT_EQ(codes(r), std::vector<std::string>{"unused-component"});
  EXPECT_THAT(r.diagnostics.items()[0].message, HasSubstr("recv/spare"));
  EXPECT_TRUE(node(*r.plan, "store"));  // used through the query ref: instantiated
}

TEST(Plan, QueryRefMustProvideQuery) {
  PlanResult r = plan(R"(
receivers: {recv: {}}
exporters: {sink: {}}
services: {query: {sources: [sink, nothing]}}
pipelines: {metrics: {receivers: [recv], exporters: [sink]}}
)");
  EXPECT_EQ(codes(r), (std::vector<std::string>{"not-queryable", "dangling-reference"}));
}

TEST(Plan, ListenAddressClashesButServerAddressIsShared) {
  PlanResult r = plan(R"(
server: {listen_address: "127.0.0.1:9464"}
receivers:
  recv/a: {listen: "127.0.0.1:9201"}
  recv/b: {listen: ":9201"}
  recv/c: {listen: "127.0.0.1:9464"}
services: {query: {listen: "127.0.0.1:9464"}}
exporters: {sink: {}}
pipelines: {metrics: {receivers: [recv/a, recv/b, recv/c], exporters: [sink]}}
)");
  ASSERT_EQ(codes(r), std::vector<std::string>{"duplicate-listen-address"});
  EXPECT_EQ(r.diagnostics.items()[0].pos.line, 5);
  EXPECT_THAT(r.diagnostics.items()[0].message, HasSubstr("receiver 'recv/a'"));
}

TEST(Plan, EmptyListenAddressMeansOffAndIsNotChecked) {
  PlanResult r = plan(R"(
receivers:
  recv/a: {listen: ""}
  recv/b: {listen: ""}
exporters: {sink: {}}
pipelines: {metrics: {receivers: [recv/a, recv/b], exporters: [sink]}}
)");
  EXPECT_TRUE(codes(r).empty()) << codes(r)[0];
}

TEST(Plan, SectionsServerAndPipelineKeys) {
  PlanResult r = plan(R"(
server: {log_level: loud}
recievers: {}
pipelines:
  traces: {}
  metrics: {receiver: []}
)");
  EXPECT_EQ(codes(r),
            (std::vector<std::string>{"invalid-value", "unknown-section", "bad-pipeline-id",
                                      "empty-pipeline", "empty-pipeline", "unknown-key"}));
  EXPECT_EQ(r.diagnostics.items()[1].hint.rfind("did you mean 'receivers'?", 0), 0u);
}

TEST(Plan, PluginDirsAreResolvedAgainstTheFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("strata_plan_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "p.yaml";
  std::ofstream(file) << "plugins: {dirs: [sub/plugins, /opt/x]}\n";
  config::Diagnostics diags;
  std::vector<std::string> dirs = pluginDirsOf(file.string(), diags);
  EXPECT_FALSE(diags.hasErrors());
  EXPECT_EQ(dirs, (std::vector<std::string>{(dir / "sub/plugins").string(), "/opt/x"}));
  PlanResult r = planFile(file.string(), registry());
  ASSERT_TRUE(r.plan);
  EXPECT_EQ(r.plan->plugin_dirs, dirs);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(codes(planFile(file.string(), registry())), std::vector<std::string>{"io-error"});
}

}  // namespace
}  // namespace strata::graph
