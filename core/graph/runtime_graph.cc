#include "core/graph/runtime_graph.h"

#include <set>
#include <stdexcept>

#include "core/telemetry/logger.h"

namespace strata::graph {
namespace {

bool isReceiver(const Instance& i) { return i.kind() == STRATA_KIND_RECEIVER; }

}  // namespace

RuntimeGraph::RuntimeGraph(HostServices services) : services_(std::move(services)) {
  services_.find_instance = [this](const std::string& id) { return find(id); };
}

RuntimeGraph::~RuntimeGraph() { shutdown(); }

std::shared_ptr<Instance> RuntimeGraph::find(const std::string& component_id) const {
  std::lock_guard lock(find_mu_);
  auto it = by_component_.find(component_id);
  return it == by_component_.end() ? nullptr : it->second;
}

void RuntimeGraph::startOrThrow(Instance& inst) {
  if (inst.start() != STRATA_OK) {
    std::string err = inst.lastError();
    throw std::runtime_error(inst.componentId() +
                             ": start failed: " + (err.empty() ? "no reason given" : err));
  }
}

void RuntimeGraph::wire(const GraphPlan& plan, const InstanceMap& instances) {
  for (const auto& node : plan.nodes) {
    std::vector<std::shared_ptr<MetricsConsumer>> metrics;
    std::vector<std::shared_ptr<BlocksConsumer>> blocks;
    for (const auto& e : node.next) {
      const auto& to = instances.at(e.to);
      if (e.edge == STRATA_EDGE_METRICS && to->metricsInput())
        metrics.push_back(to->metricsInput());
      if (e.edge == STRATA_EDGE_BLOCKS && to->blocksInput()) blocks.push_back(to->blocksInput());
    }
    instances.at(node.key)->setNext(std::make_shared<MetricsFanout>(std::move(metrics)),
                                    std::make_shared<BlocksFanout>(std::move(blocks)));
  }
}

ApplySummary RuntimeGraph::apply(std::unique_ptr<GraphPlan> plan) {
  ApplySummary summary;
  InstanceMap next;
  std::vector<std::shared_ptr<Instance>> created;  // in topological order
  std::set<std::string> replaced_keys;
  services_.data_dir = plan->server.data_dir;

  // 1. Create what is new or changed, beside the running graph.
  try {
    for (const auto& node : plan->nodes) {
      const auto& spec = plan->components.at(node.component_id);
      auto old = instances_.find(node.key);
      if (old != instances_.end() && old->second->fingerprint() == Instance::fingerprintOf(spec)) {
        next[node.key] = old->second;
        summary.kept.push_back(node.key);
        continue;
      }
      auto inst = Instance::create(node, spec, services_);
      next[node.key] = inst;
      created.push_back(inst);
      if (old != instances_.end()) {
        replaced_keys.insert(node.key);
        summary.rebuilt.push_back(node.key);
      } else {
        summary.added.push_back(node.key);
      }
    }
    // Components look their query sources up from start() on, so the new map is in place
    // before anything starts (and restored if the new graph fails).
    publish(next);
    // 2. Start what nothing can reach yet, downstream first.
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
      auto& inst = **it;
      bool replacement = replaced_keys.count(inst.key());
      if (isReceiver(inst)) continue;
      if (replacement && inst.kind() != STRATA_KIND_PROCESSOR) continue;
      startOrThrow(inst);
    }
  } catch (...) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) (*it)->stop();
    publish(instances_);
    throw;  // `created` is destroyed with the exception: plugin destroy, routes released
  }

  // 3. Swap links and routes.
  wire(*plan, next);
  for (auto& inst : created) services_.routes->commit(inst.get());

  // 4. Drain and stop the old instances that are gone or replaced, upstream first.
  std::vector<std::shared_ptr<Instance>> retired;
  if (plan_) {
    for (const auto& node : plan_->nodes) {
      auto it = instances_.find(node.key);
      if (it == instances_.end()) continue;
      auto n = next.find(node.key);
      if (n != next.end() && n->second == it->second) continue;
      retired.push_back(it->second);
      if (n == next.end()) summary.removed.push_back(node.key);
    }
  }
  stopAll(retired, std::chrono::steady_clock::now() + std::chrono::seconds(30));

  // 5-6. Replacements adopt their predecessor's state and start; new receivers start last.
  std::string failures;
  for (auto it = created.rbegin(); it != created.rend(); ++it) {
    auto& inst = **it;
    if (inst.started()) continue;
    if (replaced_keys.count(inst.key())) inst.adopt(*instances_.at(inst.key()));
    if (isReceiver(inst)) continue;
    try {
      startOrThrow(inst);
    } catch (const std::exception& e) {
      failures += std::string(failures.empty() ? "" : "; ") + e.what();
    }
  }
  for (auto& inst : created) {
    if (inst->started() || !isReceiver(*inst)) continue;
    try {
      startOrThrow(*inst);
    } catch (const std::exception& e) {
      failures += std::string(failures.empty() ? "" : "; ") + e.what();
    }
  }

  instances_ = std::move(next);
  plan_ = std::move(plan);
  retired.clear();  // destroys the old instances (plugin destroy, their routes released)
  if (!failures.empty()) throw std::runtime_error(failures);
  return summary;
}

void RuntimeGraph::publish(const InstanceMap& instances) {
  std::lock_guard lock(find_mu_);
  by_component_.clear();
  for (auto& [key, inst] : instances) by_component_[inst->componentId()] = inst;
}

void RuntimeGraph::stopAll(const std::vector<std::shared_ptr<Instance>>& upstream_first,
                           std::chrono::steady_clock::time_point deadline) {
  // Drain in order so each queue flushes into a component that is still running.
  for (auto& inst : upstream_first) inst->drain(deadline);
  for (auto& inst : upstream_first) inst->stop();
}

void RuntimeGraph::shutdown(std::chrono::milliseconds drain_timeout) {
  if (!plan_) return;
  std::vector<std::shared_ptr<Instance>> order;
  for (const auto& node : plan_->nodes) order.push_back(instances_.at(node.key));
  stopAll(order, std::chrono::steady_clock::now() + drain_timeout);
  {
    std::lock_guard lock(find_mu_);
    by_component_.clear();
  }
  instances_.clear();
  order.clear();
  plan_.reset();
}

}  // namespace strata::graph
