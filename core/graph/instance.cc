#include "core/graph/instance.h"

#include <filesystem>
#include <stdexcept>

#include "core/graph/delivery.h"
#include "core/graph/host_api.h"
#include "core/telemetry/logger.h"

namespace strata::graph {
namespace {

// How long a receiver asking for ack-on-delivery waits before answering RETRY.
constexpr auto kDeliveryTimeout = std::chrono::seconds(30);

// A processor runs inline on the emitting thread.
class InlineMetrics : public MetricsConsumer {
 public:
  InlineMetrics(const strata_component_vtable& vt, void* plugin, bool serial)
      : vt_(vt), plugin_(plugin), serial_(serial) {}
  strata_status consume(strata_metrics_batch* b) override {
    if (!serial_) return vt_.consume_metrics(plugin_, b);
    std::lock_guard lock(mu_);
    return vt_.consume_metrics(plugin_, b);
  }

 private:
  const strata_component_vtable& vt_;
  void* plugin_;
  bool serial_;
  std::mutex mu_;
};

class InlineBlocks : public BlocksConsumer {
 public:
  InlineBlocks(const strata_component_vtable& vt, void* plugin) : vt_(vt), plugin_(plugin) {}
  strata_status consume(strata_block_ref* b) override { return vt_.consume_blocks(plugin_, b); }

 private:
  const strata_component_vtable& vt_;
  void* plugin_;
};

std::string dirNameOf(const std::string& id) {
  std::string out = id;
  for (auto& c : out)
    if (c == '/') c = '_';
  return out;
}

}  // namespace

std::string Instance::fingerprintOf(const ComponentSpec& spec) {
  std::string fp = std::to_string(spec.kind) + "|" + spec.type->type + "|" + spec.type->path + "|" +
                   spec.config->canonical();
  for (const auto& r : spec.query_refs) fp += "|ref=" + r;
  return fp;
}

Instance::Instance(const NodeSpec& node, const ComponentSpec& spec, HostServices& services)
    : ctx_(new strata_host_ctx{this}),
      key_(node.key),
      spec_(spec),
      fingerprint_(fingerprintOf(spec)),
      data_dir_((std::filesystem::path(services.data_dir) / dirNameOf(spec.id)).string()),
      services_(services),
      pin_(spec.type->plugin) {}

std::shared_ptr<Instance> Instance::create(const NodeSpec& node, const ComponentSpec& spec,
                                           HostServices& services) {
  std::shared_ptr<Instance> inst(new Instance(node, spec, services));
  std::error_code ec;
  std::filesystem::create_directories(inst->data_dir_, ec);
  const auto& vt = inst->vt();
  strata_status s = vt.create(hostApi(), inst->ctx_.get(), spec.config->root(), &inst->plugin_);
  if (s != STRATA_OK || !inst->plugin_) {
    std::string err = inst->lastError();
    inst->plugin_ = nullptr;
    throw std::runtime_error(spec.id +
                             ": create failed: " + (err.empty() ? "no reason given" : err));
  }
  bool serial = spec.type->def->flags & STRATA_COMPONENT_SERIAL;
  const auto* def = spec.type->def;
  if (def->inputs & STRATA_EDGE_METRICS) {
    if (spec.kind == STRATA_KIND_PROCESSOR) {
      inst->metrics_input_ = std::make_shared<InlineMetrics>(vt, inst->plugin_, serial);
    } else {
      void* p = inst->plugin_;
      const auto* vtp = &vt;
      inst->queue_ = std::make_shared<EdgeQueue>(
          spec.id, [vtp, p](strata_metrics_batch* b) { return vtp->consume_metrics(p, b); },
          services.queue_limits, *services.metrics);
      inst->metrics_input_ = inst->queue_;
    }
  }
  if (def->inputs & STRATA_EDGE_BLOCKS)
    inst->blocks_input_ = std::make_shared<InlineBlocks>(vt, inst->plugin_);
  return inst;
}

Instance::~Instance() {
  if (!plugin_) return;
  stop();
  services_.routes->release(this);
  vt().destroy(plugin_);
}

strata_status Instance::start() {
  if (started_) return STRATA_OK;
  strata_status s = vt().start(plugin_);
  if (s != STRATA_OK) return s;
  if (queue_) queue_->start();
  started_ = true;
  return STRATA_OK;
}

void Instance::drain(std::chrono::steady_clock::time_point deadline) {
  if (!started_ || stopped_) return;
  // Receivers first stop producing; queued input then reaches the plugin; then the plugin
  // flushes what it buffers.
  if (queue_ && !queue_->drain(deadline))
    log(STRATA_LOG_WARN, "drain deadline passed with batches still queued", nullptr, 0);
  vt().drain(plugin_);
}

void Instance::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (queue_) queue_->stop();
  if (started_) vt().stop(plugin_);
}

void Instance::setNext(std::shared_ptr<MetricsConsumer> metrics,
                       std::shared_ptr<BlocksConsumer> blocks) {
  next_metrics_.store(std::move(metrics));
  next_blocks_.store(std::move(blocks));
}

strata_status Instance::adopt(Instance& previous) {
  if (!vt().adopt || !previous.plugin_) return STRATA_OK;
  return vt().adopt(plugin_, previous.plugin_);
}

const strata_queryable* Instance::queryable() {
  if (!(spec_.type->def->provides & STRATA_EDGE_QUERY) || !vt().queryable) return nullptr;
  if (!have_queryable_) {
    queryable_.struct_size = sizeof queryable_;
    if (vt().queryable(plugin_, &queryable_) != STRATA_OK) return nullptr;
    have_queryable_ = true;
  }
  return &queryable_;
}

namespace {
thread_local std::string t_emit_error;  // see emitError()
}  // namespace

const std::string& Instance::emitError() { return t_emit_error; }

strata_status Instance::emitMetrics(strata_metrics_batch* batch) {
  auto next = next_metrics_.load();
  if (!next) {
    if (batch->release) batch->release(batch);
    setError("not connected to a downstream yet");
    t_emit_error = "not connected to a downstream yet";
    return STRATA_RETRY;
  }
  // Inline processors and full queues answer on this thread: their set_error text is the
  // reason. Sinks behind a queue answer on its worker, which hands the text to the Delivery.
  clearThreadError();
  bool ack = (batch->flags & STRATA_BATCH_ACK_ON_DELIVERY) && !Delivery::current();
  strata_status s;
  std::string why;
  if (!ack) {
    s = next->consume(batch);
    if (s != STRATA_OK) why = threadError();
  } else {
    auto delivery = std::make_shared<Delivery>();
    {
      Delivery::Scope scope(delivery);
      s = next->consume(batch);
    }
    if (s != STRATA_OK) {
      why = threadError();
    } else {
      s = delivery->wait(std::chrono::steady_clock::now() + kDeliveryTimeout);
      why = s == STRATA_OK ? std::string() : delivery->error();
      if (s == STRATA_RETRY && why.empty())
        why = "not delivered within " + std::to_string(kDeliveryTimeout.count()) + " s";
    }
  }
  // An emitting processor's caller (further up this thread) learns the reason as well.
  if (!why.empty()) noteThreadError(why);
  t_emit_error = std::move(why);
  return s;
}

strata_status Instance::emitBlocks(strata_block_ref* block) {
  auto next = next_blocks_.load();
  if (!next) {
    if (block->release) block->release(block);
    return STRATA_RETRY;
  }
  return next->consume(block);
}

void Instance::setError(std::string message) {
  noteThreadError(spec_.id + ": " + message);
  std::lock_guard lock(error_mu_);
  last_error_ = std::move(message);
}

std::string Instance::lastError() {
  std::lock_guard lock(error_mu_);
  return last_error_;
}

void Instance::log(strata_log_level level, std::string_view message, const strata_str* kv,
                   size_t pairs) {
  telemetry::LogFields fields;
  for (size_t i = 0; i < pairs; ++i)
    fields.emplace_back(std::string(kv[2 * i].data, kv[2 * i].len),
                        std::string(kv[2 * i + 1].data, kv[2 * i + 1].len));
  telemetry::log(level, spec_.id, message, fields);
}

}  // namespace strata::graph
