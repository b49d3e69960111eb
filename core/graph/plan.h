// The side-effect-free plan of a pipeline file: what lint checks and what the host then
// instantiates. Planning never calls a plugin factory (only the descriptor data and the
// side-effect-free validate() hook).
//
// Node rules (as in the OTel Collector): receivers, exporters, storage and services are one
// instance per component id, shared by every pipeline that lists them; a processor gets one
// instance per pipeline that lists it. Storage is a connector: an exporter in `metrics/*`
// pipelines, a receiver in `blocks/*` pipelines, and a provider of the `query` edge.
#pragma once

#include <strata/plugin_abi.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config/diagnostics.h"
#include "core/config/value_tree.h"
#include "core/http/server_limits.h"
#include "core/plugin/registry.h"

namespace strata::graph {

struct ComponentSpec {
  std::string id;  // "type" or "type/name", unique across all kinds
  strata_kind kind{};
  const plugin::ComponentType* type = nullptr;      // owned by the Registry
  config::SourcePos pos;                            // of the id key
  std::shared_ptr<const config::ValueTree> config;  // validated, defaults filled
  std::vector<std::string> query_refs;              // ids named by QUERY_REF options
  std::vector<std::string> listen_addresses;        // values of LISTEN_ADDRESS options
};

struct PipelineSpec {
  std::string id;   // "metrics" or "metrics/name", "blocks/name"
  uint32_t edge{};  // STRATA_EDGE_METRICS or STRATA_EDGE_BLOCKS
  config::SourcePos pos;
  std::vector<std::string> receivers, processors, exporters;  // component ids, in file order
};

// One instance in the running graph. `key` is the component id, except for processors:
// "<pipeline id>|<component id>".
struct NodeSpec {
  std::string key;
  std::string component_id;
  std::string pipeline;  // processors only
  struct Edge {
    uint32_t edge;   // STRATA_EDGE_METRICS / STRATA_EDGE_BLOCKS
    std::string to;  // node key
  };
  std::vector<Edge> next;  // downstream nodes, deduplicated
};

struct ServerSpec {
  std::string listen_address = "127.0.0.1:9464";  // /metrics, /-/healthy, /-/ready, /-/reload
  std::string data_dir = "data";
  std::string log_level = "info";
  int64_t malloc_arena_max = 0;                 // 0: glibc's default
  http::ServerLimits http;                      // server.http
  std::chrono::milliseconds shutdown_delay{0};  // server.http.shutdown_delay
  config::SourcePos listen_pos;
};

struct GraphPlan {
  std::string file;
  ServerSpec server;
  std::vector<std::string> plugin_dirs;  // from `plugins: {dirs: [...]}`, resolved absolute
  std::map<std::string, ComponentSpec> components;  // by id
  std::vector<PipelineSpec> pipelines;
  std::vector<NodeSpec> nodes;  // topological order: upstream first
};

struct PlanResult {
  std::unique_ptr<GraphPlan> plan;  // null when there are errors
  config::Diagnostics diagnostics;  // errors and warnings, sorted
};

// Reads, parses, expands ${ENV}, validates every component against its schema and the
// plugin's validate(), and wires the graph. `registry` must already hold the plugins.
PlanResult planFile(const std::string& path, const plugin::Registry& registry);
PlanResult planText(const std::string& text, const std::string& file_name,
                    const plugin::Registry& registry);

// The plugin directories a file asks for (read before the registry can be filled), plus
// diagnostics for a file that cannot even be parsed.
std::vector<std::string> pluginDirsOf(const std::string& path, config::Diagnostics& diags);

}  // namespace strata::graph
