// The running graph, and how it changes: apply() turns the current set of instances into the
// one a plan describes. Starting from nothing is a special case of reloading.
//
// Reload order (nginx's "build the new cycle beside the old one" with OTel's graph rules):
//  1. create every added or changed instance; any failure destroys only those (old untouched);
//  2. start added and changed processors and added exporters/storage/services, downstream
//     first; a failure undoes step 1-2 (old untouched);
//     (find() answers from the new set from step 2 on, so a service can look up its query
//     sources in start());
//  3. swap every node's `next` links and commit routes: upstream nodes, kept or new, now feed
//     the new graph; a rebuilt receiver's handler takes over its predecessor's socket;
//  4. drain and stop removed and replaced instances, upstream first (their queues flush into
//     the components they were feeding, so nothing acknowledged is lost);
//  5. replaced exporters/storage/receivers adopt their predecessor's durable state, then start;
//  6. added receivers start last.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/graph/instance.h"
#include "core/graph/plan.h"

namespace strata::graph {

struct ApplySummary {
  std::vector<std::string> kept, rebuilt, added, removed;  // node keys
};

class RuntimeGraph {
 public:
  explicit RuntimeGraph(HostServices services);
  ~RuntimeGraph();

  // Throws std::runtime_error when the new graph cannot be built; the old keeps running.
  ApplySummary apply(std::unique_ptr<GraphPlan> plan);
  // Drains (upstream first) and stops everything.
  void shutdown(std::chrono::milliseconds drain_timeout = std::chrono::seconds(30));
  const GraphPlan* plan() const { return plan_.get(); }
  std::shared_ptr<Instance> find(const std::string& component_id) const;

 private:
  using InstanceMap = std::map<std::string, std::shared_ptr<Instance>>;
  void wire(const GraphPlan& plan, const InstanceMap& instances);
  static void startOrThrow(Instance& inst);
  void publish(const InstanceMap& instances);  // what find() answers
  void stopAll(const std::vector<std::shared_ptr<Instance>>& upstream_first,
               std::chrono::steady_clock::time_point deadline);

  HostServices services_;
  std::unique_ptr<GraphPlan> plan_;
  InstanceMap instances_;  // by node key
  mutable std::mutex find_mu_;
  std::map<std::string, std::shared_ptr<Instance>> by_component_;
};

}  // namespace strata::graph
