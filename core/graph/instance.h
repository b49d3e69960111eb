// One live plugin instance in the running graph, and the strata_host_ctx the plugin sees.
//
// Lifecycle: create() (plugin create; may register routes) -> start() -> drain() -> stop()
// -> destructor (plugin destroy, routes released). Upstream nodes reach it through input():
// inline for processors, a bounded EdgeQueue for exporters and storage. Its own emits go to
// `next`, which a reload swaps atomically.
#pragma once

#include <strata/plugin_abi.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/graph/consumer.h"
#include "core/graph/edge_queue.h"
#include "core/graph/plan.h"
#include "core/graph/route_book.h"
#include "core/telemetry/metrics_registry.h"

namespace strata::graph {

class Instance;

// What the host offers every instance.
struct HostServices {
  telemetry::MetricsRegistry* metrics = nullptr;
  RouteBook* routes = nullptr;
  std::string data_dir;
  QueueLimits queue_limits;
  // The instance providing `query` for a component id, or null.
  std::function<std::shared_ptr<Instance>(const std::string& id)> find_instance;
};

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  // Calls the plugin's create(). Throws std::runtime_error with the plugin's message.
  static std::shared_ptr<Instance> create(const NodeSpec& node, const ComponentSpec& spec,
                                          HostServices& services);
  ~Instance();

  strata_status start();
  void drain(std::chrono::steady_clock::time_point deadline);
  void stop();

  const std::string& key() const { return key_; }
  const std::string& componentId() const { return spec_.id; }
  strata_kind kind() const { return spec_.kind; }
  // Identity for reload: same fingerprint means the running instance can be kept.
  const std::string& fingerprint() const { return fingerprint_; }
  bool started() const { return started_; }

  std::shared_ptr<MetricsConsumer> metricsInput() const { return metrics_input_; }
  std::shared_ptr<BlocksConsumer> blocksInput() const { return blocks_input_; }
  void setNext(std::shared_ptr<MetricsConsumer> metrics, std::shared_ptr<BlocksConsumer> blocks);
  // Hands durable state of `previous` (same type, stopped) to this one.
  strata_status adopt(Instance& previous);
  const strata_queryable* queryable();

  // Host API backends (called through strata_host_api).
  strata_status emitMetrics(strata_metrics_batch* batch);
  strata_status emitBlocks(strata_block_ref* block);
  // Also noted as this thread's error ("<component id>: <message>"), see noteThreadError().
  void setError(std::string message);
  std::string lastError();
  // emit_error: why this thread's last emitMetrics() did not return OK ("" if it did).
  static const std::string& emitError();
  void log(strata_log_level level, std::string_view message, const strata_str* kv, size_t pairs);
  HostServices& services() { return services_; }
  const std::string& dataDir() const { return data_dir_; }
  void* pluginInstance() const { return plugin_; }

  static std::string fingerprintOf(const ComponentSpec& spec);

 private:
  Instance(const NodeSpec& node, const ComponentSpec& spec, HostServices& services);
  const strata_component_vtable& vt() const { return *spec_.type->def->vtable; }

  std::unique_ptr<strata_host_ctx> ctx_;
  std::string key_;
  ComponentSpec spec_;
  std::string fingerprint_, data_dir_;
  HostServices& services_;
  std::shared_ptr<plugin::PluginHandle> pin_;
  void* plugin_ = nullptr;
  bool started_ = false, stopped_ = false;
  std::shared_ptr<EdgeQueue> queue_;
  std::shared_ptr<MetricsConsumer> metrics_input_;
  std::shared_ptr<BlocksConsumer> blocks_input_;
  std::atomic<std::shared_ptr<MetricsConsumer>> next_metrics_;
  std::atomic<std::shared_ptr<BlocksConsumer>> next_blocks_;
  std::mutex error_mu_;
  std::string last_error_;
  bool have_queryable_ = false;
  strata_queryable queryable_{};
};

}  // namespace strata::graph
