// The running graph with in-process fake components (no dlopen): wiring, backpressure,
// ack-on-delivery, and reload that keeps, rebuilds and rolls back.
#include "core/graph/runtime_graph.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <strata/sdk.hpp>

#include "core/http/http_server.h"

namespace strata::graph {
namespace {

// ---- fake components ---------------------------------------------------------------------

struct Sink {
  std::mutex mu;
  std::condition_variable cv;
  bool gate_open = true;
  int64_t samples = 0;
  int instances_created = 0;
  std::vector<std::string> consumed_by;  // `tag` option of the consuming instance
};
Sink g_sink;
sdk::Host* g_receiver_host = nullptr;  // the latest receiver instance's host

class FakeReceiver : public sdk::Component {
 public:
  FakeReceiver(sdk::Host h, sdk::ConfigView) : Component(h) { g_receiver_host = &host_; }
  sdk::Host host_ = host();
};

class FakeExporter : public sdk::Component {
 public:
  FakeExporter(sdk::Host h, sdk::ConfigView c) : Component(h), tag_(c["tag"].asString()) {
    if (tag_ == "fail-create") throw std::runtime_error("refusing tag fail-create");
    std::lock_guard lock(g_sink.mu);
    g_sink.instances_created++;
  }
  strata_status consume(strata_metrics_batch* b) override {
    sdk::OwnedBatch owned(b);
    if (tag_ == "reject") {
      host().setError("refusing " + std::to_string(b->sample_count) + " samples");
      return STRATA_REJECT;
    }
    std::unique_lock lock(g_sink.mu);
    g_sink.cv.wait(lock, [] { return g_sink.gate_open; });
    g_sink.samples += static_cast<int64_t>(b->sample_count);
    g_sink.consumed_by.push_back(tag_);
    g_sink.cv.notify_all();
    return STRATA_OK;
  }

 private:
  std::string tag_;
};

const strata_option_def kExporterOptions[] = {
    sdk::option("tag", STRATA_OPT_STRING, "\"a\"", "Identifies the instance."),
};
const strata_component_def kReceiverDef = sdk::component<FakeReceiver>(
    STRATA_KIND_RECEIVER, "fake_receiver", "test", 0, STRATA_EDGE_METRICS);
const strata_component_def kExporterDef = sdk::component<FakeExporter>(
    STRATA_KIND_EXPORTER, "fake_exporter", "test", STRATA_EDGE_METRICS, 0, kExporterOptions);

// A storage that provides `query`, and a service that needs it from start() on.
class FakeStore : public sdk::Component {
 public:
  FakeStore(sdk::Host h, sdk::ConfigView) : Component(h) {}
  strata_status consume(strata_metrics_batch* b) override {
    sdk::OwnedBatch owned(b);
    return STRATA_OK;
  }
  strata_status queryable(strata_queryable* out) override {
    out->self = this;
    return STRATA_OK;
  }
};
bool g_service_found_source = false;
class FakeService : public sdk::Component {
 public:
  FakeService(sdk::Host h, sdk::ConfigView c)
      : Component(h), source_(c["sources"].at(0).asString()) {}
  strata_status start() override {
    g_service_found_source = host().queryable(source_) != nullptr;
    return STRATA_OK;
  }

 private:
  std::string source_;
};
const strata_option_def kServiceOptions[] = {
    sdk::option("sources", STRATA_OPT_STRING_LIST, nullptr, "Query sources.",
                STRATA_OPTF_QUERY_REF | STRATA_OPTF_REQUIRED),
};
const strata_component_def kStoreDef = sdk::component<FakeStore>(
    STRATA_KIND_STORAGE, "fake_store", "test", STRATA_EDGE_METRICS, 0, STRATA_EDGE_QUERY);
const strata_component_def kServiceDef =
    sdk::component<FakeService>(STRATA_KIND_SERVICE, "fake_service", "test", 0, 0, kServiceOptions);

strata_status emitSamples(int n, uint32_t flags = 0) {
  sdk::BatchBuilder b;
  b.beginSeries({{"__name__", "m"}});
  for (int i = 0; i < n; ++i) b.addSample(i, i);
  return g_receiver_host->emit(b.finish(flags));
}

// ---- fixture -----------------------------------------------------------------------------

class RuntimeGraphTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_sink.gate_open = true;
    g_sink.samples = 0;
    g_sink.instances_created = 0;
    g_sink.consumed_by.clear();
    registry_.add({plugin::ComponentType{STRATA_KIND_RECEIVER, "fake_receiver", &kReceiverDef,
                                         nullptr, "fake.so", "fake", "0"},
                   plugin::ComponentType{STRATA_KIND_EXPORTER, "fake_exporter", &kExporterDef,
                                         nullptr, "fake.so", "fake", "0"},
                   plugin::ComponentType{STRATA_KIND_STORAGE, "fake_store", &kStoreDef, nullptr,
                                         "fake.so", "fake", "0"},
                   plugin::ComponentType{STRATA_KIND_SERVICE, "fake_service", &kServiceDef, nullptr,
                                         "fake.so", "fake", "0"}});
    services_.metrics = &metrics_;
    services_.routes = &routes_;
    services_.data_dir = ::testing::TempDir() + "/strata-graph-test";
    services_.queue_limits.max_batches = 2;
    graph_ = std::make_unique<RuntimeGraph>(services_);
  }
  void TearDown() override {
    {
      std::lock_guard lock(g_sink.mu);
      g_sink.gate_open = true;
    }
    g_sink.cv.notify_all();
    graph_.reset();
  }
  std::unique_ptr<GraphPlan> plan(const std::string& tag) {
    std::string yaml =
        "server: {data_dir: " + ::testing::TempDir() +
        "/strata-graph-test}\n"
        "receivers: {fake_receiver: {}}\n"
        "exporters: {fake_exporter: {tag: " +
        tag +
        "}}\n"
        "pipelines: {metrics: {receivers: [fake_receiver], exporters: [fake_exporter]}}\n";
    auto r = planText(yaml, "test.yaml", registry_);
    EXPECT_TRUE(r.plan) << (r.diagnostics.items().empty() ? "" : r.diagnostics.items()[0].message);
    return std::move(r.plan);
  }
  void waitForSamples(int64_t n) {
    std::unique_lock lock(g_sink.mu);
    ASSERT_TRUE(
        g_sink.cv.wait_for(lock, std::chrono::seconds(10), [&] { return g_sink.samples >= n; }))
        << "got " << g_sink.samples;
  }

  plugin::Registry registry_;
  telemetry::MetricsRegistry metrics_;
  http::HttpServer http_;
  RouteBook routes_{http_};
  HostServices services_;
  std::unique_ptr<RuntimeGraph> graph_;
};

TEST_F(RuntimeGraphTest, DeliversFromReceiverToExporter) {
  graph_->apply(plan("a"));
  ASSERT_EQ(emitSamples(3), STRATA_OK);
  ASSERT_EQ(emitSamples(4), STRATA_OK);
  waitForSamples(7);
}

TEST_F(RuntimeGraphTest, FullQueuePushesBackWithRetry) {
  graph_->apply(plan("a"));
  {
    std::lock_guard lock(g_sink.mu);
    g_sink.gate_open = false;
  }
  // One batch is held by the worker, two fill the queue; the next is refused.
  int ok = 0;
  strata_status last = STRATA_OK;
  for (int i = 0; i < 10 && last == STRATA_OK; ++i) {
    last = emitSamples(1);
    if (last == STRATA_OK) ++ok;
  }
  EXPECT_EQ(last, STRATA_RETRY);
  EXPECT_GE(ok, 2);
  EXPECT_LE(ok, 3);
  {
    std::lock_guard lock(g_sink.mu);
    g_sink.gate_open = true;
  }
  g_sink.cv.notify_all();
  waitForSamples(ok);  // everything accepted is delivered
}

TEST_F(RuntimeGraphTest, AckOnDeliveryWaitsForTheSink) {
  graph_->apply(plan("a"));
  ASSERT_EQ(emitSamples(5, STRATA_BATCH_ACK_ON_DELIVERY), STRATA_OK);
  std::lock_guard lock(g_sink.mu);
  EXPECT_EQ(g_sink.samples, 5);  // no waiting needed: emit returned after consume
}

TEST_F(RuntimeGraphTest, AckOnDeliveryPassesTheSinksReasonBack) {
  graph_->apply(plan("reject"));
  EXPECT_EQ(emitSamples(5, STRATA_BATCH_ACK_ON_DELIVERY), STRATA_REJECT);
  // emit_error, on the emitting thread: the sink's set_error text, behind its component id.
  EXPECT_EQ(g_receiver_host->emitError(), "fake_exporter: refusing 5 samples");
  // Without ack the queue accepted the batch; nothing is known (or stale) here.
  EXPECT_EQ(emitSamples(2), STRATA_OK);
  EXPECT_EQ(g_receiver_host->emitError(), "");
}

TEST_F(RuntimeGraphTest, ReloadRebuildsOnlyTheChangedComponentAndLosesNothing) {
  graph_->apply(plan("a"));
  auto* receiver_before = g_receiver_host;
  {
    std::lock_guard lock(g_sink.mu);
    g_sink.gate_open = false;
  }
  ASSERT_EQ(emitSamples(1), STRATA_OK);
  ASSERT_EQ(emitSamples(1), STRATA_OK);
  // The old exporter's queue holds accepted batches; the reload must flush them into it.
  std::thread opener([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    {
      std::lock_guard lock(g_sink.mu);
      g_sink.gate_open = true;
    }
    g_sink.cv.notify_all();
  });
  auto summary = graph_->apply(plan("b"));
  opener.join();
  EXPECT_EQ(summary.kept, std::vector<std::string>{"fake_receiver"});
  EXPECT_EQ(summary.rebuilt, std::vector<std::string>{"fake_exporter"});
  EXPECT_EQ(g_receiver_host, receiver_before);  // the receiver was not recreated
  ASSERT_EQ(emitSamples(1), STRATA_OK);
  waitForSamples(3);
  std::lock_guard lock(g_sink.mu);
  EXPECT_EQ(g_sink.consumed_by.front(), "a");
  EXPECT_EQ(g_sink.consumed_by.back(), "b");
}

TEST_F(RuntimeGraphTest, ServicesFindTheirQuerySourcesInStart) {
  g_service_found_source = false;
  auto r =
      planText("server: {data_dir: " + ::testing::TempDir() +
                   "/strata-graph-test}\n"
                   "receivers: {fake_receiver: {}}\n"
                   "storage: {fake_store: {}}\n"
                   "services: {fake_service: {sources: [fake_store]}}\n"
                   "pipelines: {metrics: {receivers: [fake_receiver], exporters: [fake_store]}}\n",
               "test.yaml", registry_);
  ASSERT_TRUE(r.plan);
  graph_->apply(std::move(r.plan));
  EXPECT_TRUE(g_service_found_source);
}

TEST_F(RuntimeGraphTest, FailedCreateLeavesTheOldGraphRunning) {
  graph_->apply(plan("a"));
  EXPECT_THROW(graph_->apply(plan("fail-create")), std::runtime_error);
  ASSERT_EQ(emitSamples(2), STRATA_OK);
  waitForSamples(2);
  std::lock_guard lock(g_sink.mu);
  EXPECT_EQ(g_sink.consumed_by.back(), "a");
}

}  // namespace
}  // namespace strata::graph
