// planFile / planText: parse, expand ${ENV}, then the validation passes of STYLE 7.5
// (sections, ids and types, options, plugin validate hooks, graph checks), collecting every
// problem. Never calls a plugin factory.
#include "core/graph/plan.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "core/config/did_you_mean.h"
#include "core/config/env_expand.h"
#include "core/config/schema_check.h"
#include "core/graph/plan_internal.h"

namespace strata::graph {
namespace detail {

std::string describe(const ComponentSpec& c) {
  return std::string(plugin::kindName(c.kind)) + " '" + c.id + "'";
}

std::string posText(const config::SourcePos& pos) {
  return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

std::string edgeNames(uint32_t mask) {
  std::vector<std::string> names;
  if (mask & STRATA_EDGE_METRICS) names.push_back("metrics");
  if (mask & STRATA_EDGE_BLOCKS) names.push_back("blocks");
  if (mask & STRATA_EDGE_QUERY) names.push_back("query");
  return names.empty() ? "nothing" : config::joinNames(names);
}

}  // namespace detail

namespace {

using config::ConfigNode;
using config::SourcePos;

const std::vector<std::string> kSections = {"server",    "plugins", "receivers", "processors",
                                            "exporters", "storage", "services",  "pipelines"};

const strata_option_def kServerHttpOptions[] = {
    {sizeof(strata_option_def), "max_connections", STRATA_OPT_INT, 0, "10000",
     "Open connections per listening address; one more is answered 503 with Retry-After "
     "(a TLS listener closes it at accept). Idle keep-alive connections cost memory, not "
     "threads.",
     nullptr, 0},
    {sizeof(strata_option_def), "read_header_timeout", STRATA_OPT_DURATION, 0, "10s",
     "From a request's first byte (or a TLS accept) to the end of its headers; a slower "
     "client gets 408 and is closed.",
     nullptr, 0},
    {sizeof(strata_option_def), "read_timeout", STRATA_OPT_DURATION, 0, "1m",
     "From the end of a request's headers to the end of its body.", nullptr, 0},
    {sizeof(strata_option_def), "idle_timeout", STRATA_OPT_DURATION, 0, "5m",
     "A keep-alive connection without a request is closed after this long.", nullptr, 0},
    {sizeof(strata_option_def), "write_timeout", STRATA_OPT_DURATION, 0, "1m",
     "A response the client does not read is abandoned after this long.", nullptr, 0},
    {sizeof(strata_option_def), "max_header_bytes", STRATA_OPT_INT, 0, "65536",
     "Request line and headers together; more is answered 431.", nullptr, 0},
    {sizeof(strata_option_def), "write_workers", STRATA_OPT_INT, 0, "8",
     "Threads running remote write (and other push) handlers.", nullptr, 0},
    {sizeof(strata_option_def), "max_concurrent_writes", STRATA_OPT_INT, 0, "512",
     "Write requests running or waiting for a worker; more are answered 503 with "
     "Retry-After at once.",
     nullptr, 0},
    {sizeof(strata_option_def), "query_workers", STRATA_OPT_INT, 0, "4",
     "Threads running query API, remote read and federation handlers.", nullptr, 0},
    {sizeof(strata_option_def), "max_concurrent_queries", STRATA_OPT_INT, 0, "64",
     "Query requests running or waiting; more are answered 503 with Retry-After.", nullptr, 0},
    {sizeof(strata_option_def), "admin_workers", STRATA_OPT_INT, 0, "4",
     "Threads running /metrics, /-/healthy, /-/ready and /-/reload.", nullptr, 0},
    {sizeof(strata_option_def), "max_concurrent_admin", STRATA_OPT_INT, 0, "32",
     "Admin requests running or waiting; more are answered 503 with Retry-After.", nullptr, 0},
    {sizeof(strata_option_def), "shutdown_delay", STRATA_OPT_DURATION, 0, "0s",
     "On SIGTERM, /-/ready answers 503 for this long before anything stops, so a load "
     "balancer stops sending first (requests still served meanwhile).",
     nullptr, 0},
};

const strata_option_def kServerOptions[] = {
    {sizeof(strata_option_def), "listen_address", STRATA_OPT_STRING, 0, "127.0.0.1:9464",
     "Address of /metrics, /-/healthy, /-/ready and /-/reload.", nullptr, 0},
    {sizeof(strata_option_def), "data_dir", STRATA_OPT_STRING, 0, "data",
     "Where components keep their state.", nullptr, 0},
    {sizeof(strata_option_def), "log_level", STRATA_OPT_STRING, 0, "info",
     "debug, info, warn or error.", nullptr, 0},
    {sizeof(strata_option_def), "malloc_arena_max", STRATA_OPT_INT, 0, "0",
     "Most glibc malloc arenas (0: glibc's default, 8 per core). 1 bounds a small agent's "
     "peak RSS; MALLOC_ARENA_MAX in the environment wins. Read at start only.",
     nullptr, 0},
    {sizeof(strata_option_def), "http", STRATA_OPT_OBJECT, 0, nullptr,
     "Bounds of every HTTP listener of the node (connections, timeouts, concurrent requests "
     "per class). Read at start only.",
     kServerHttpOptions, std::size(kServerHttpOptions)},
};

const strata_option_def kPluginsOptions[] = {
    {sizeof(strata_option_def), "dirs", STRATA_OPT_STRING_LIST, 0, nullptr,
     "Extra plugin directories, relative to this file.", nullptr, 0},
};

// A root-level map section checked against a fixed option table; null tree on errors.
std::shared_ptr<const config::ValueTree> checkSection(const ConfigNode& root, const char* name,
                                                      const strata_option_def* defs, size_t n,
                                                      config::Diagnostics& diags) {
  const ConfigNode* node = root.find(name);
  SourcePos anchor = root.pos;
  for (size_t i = 0; i < root.keys.size(); ++i) {
    if (root.keys[i].scalar == name) anchor = root.keys[i].pos;
  }
  return config::checkOptions(node, defs, n, std::string("section '") + name + "'", anchor, diags)
      .tree;
}

const strata_value* itemOf(const strata_value* map, const char* key) {
  if (!map) return nullptr;
  for (size_t i = 0; i < map->count; ++i) {
    if (std::string_view(map->keys[i].data, map->keys[i].len) == key) return &map->items[i];
  }
  return nullptr;
}

// server.http, over ServerLimits' defaults (an absent option keeps its default).
void planServerHttp(const strata_value* http, const ConfigNode* node, ServerSpec& spec,
                    config::Diagnostics& diags) {
  using std::chrono::milliseconds;
  auto& l = spec.http;
  auto positive = [&](const char* key, auto apply) {
    const strata_value* v = itemOf(http, key);
    if (!v || v->kind == STRATA_VALUE_NULL) return;
    if (v->int_value <= 0) {
      const ConfigNode* at = node && node->isMap() ? node->find(key) : node;
      if (at)
        diags.error("invalid-value", at->pos,
                    std::string("section 'server': http.") + key + " must be greater than 0");
      return;
    }
    apply(v->int_value);
  };
  positive("max_connections", [&](int64_t v) { l.max_connections = static_cast<size_t>(v); });
  positive("read_header_timeout", [&](int64_t v) { l.header_timeout = milliseconds(v); });
  positive("read_timeout", [&](int64_t v) { l.body_timeout = milliseconds(v); });
  positive("idle_timeout", [&](int64_t v) { l.idle_timeout = milliseconds(v); });
  positive("write_timeout", [&](int64_t v) { l.write_timeout = milliseconds(v); });
  positive("max_header_bytes", [&](int64_t v) { l.max_header_bytes = static_cast<size_t>(v); });
  auto cls = [&](http::RouteClass c) -> http::RouteClassLimits& {
    return l.classes[static_cast<size_t>(c)];
  };
  positive("write_workers", [&](int64_t v) { cls(http::RouteClass::kWrite).workers = v; });
  positive("max_concurrent_writes",
           [&](int64_t v) { cls(http::RouteClass::kWrite).max_in_flight = v; });
  positive("query_workers", [&](int64_t v) { cls(http::RouteClass::kQuery).workers = v; });
  positive("max_concurrent_queries",
           [&](int64_t v) { cls(http::RouteClass::kQuery).max_in_flight = v; });
  positive("admin_workers", [&](int64_t v) { cls(http::RouteClass::kAdmin).workers = v; });
  positive("max_concurrent_admin",
           [&](int64_t v) { cls(http::RouteClass::kAdmin).max_in_flight = v; });
  if (const strata_value* d = itemOf(http, "shutdown_delay"); d && d->kind != STRATA_VALUE_NULL)
    spec.shutdown_delay = milliseconds(std::max<int64_t>(0, d->int_value));
}

int64_t intOf(const strata_value* map, const char* key) {
  for (size_t i = 0; i < map->count; ++i) {
    if (std::string_view(map->keys[i].data, map->keys[i].len) == key)
      return map->items[i].int_value;
  }
  return 0;
}

std::string stringOf(const strata_value* map, const char* key) {
  for (size_t i = 0; i < map->count; ++i) {
    if (std::string_view(map->keys[i].data, map->keys[i].len) == key)
      return std::string(map->items[i].string_value.data, map->items[i].string_value.len);
  }
  return "";
}

void planServer(const ConfigNode& root, GraphPlan& plan, config::Diagnostics& diags) {
  auto tree = checkSection(root, "server", kServerOptions, std::size(kServerOptions), diags);
  const ConfigNode* server = root.find("server");
  if (!tree) {
    // Still check the level, so one typo elsewhere in the section does not hide it.
    const ConfigNode* level = server && server->isMap() ? server->find("log_level") : nullptr;
    if (!level || !level->isScalar()) return;
    plan.server.log_level = level->scalar;
  } else {
    plan.server.listen_address = stringOf(tree->root(), "listen_address");
    plan.server.data_dir = stringOf(tree->root(), "data_dir");
    plan.server.log_level = stringOf(tree->root(), "log_level");
    plan.server.malloc_arena_max = intOf(tree->root(), "malloc_arena_max");
    const strata_value* http = itemOf(tree->root(), "http");
    if (http && http->kind != STRATA_VALUE_NULL)
      planServerHttp(http, server && server->isMap() ? server->find("http") : nullptr, plan.server,
                     diags);
  }
  const ConfigNode* listen = server ? server->find("listen_address") : nullptr;
  if (listen) plan.server.listen_pos = listen->pos;
  const std::vector<std::string> levels = {"debug", "info", "warn", "error"};
  if (std::find(levels.begin(), levels.end(), plan.server.log_level) == levels.end()) {
    std::string hint = config::didYouMeanHint(plan.server.log_level, levels);
    diags.error("invalid-value", server->find("log_level")->pos,
                "section 'server': log_level must be one of debug, info, warn, error, got \"" +
                    plan.server.log_level + "\"",
                hint);
  }
}

std::vector<std::string> planPluginDirs(const ConfigNode& root, const std::string& file,
                                        config::Diagnostics& diags) {
  std::vector<std::string> dirs;
  auto tree = checkSection(root, "plugins", kPluginsOptions, std::size(kPluginsOptions), diags);
  if (!tree) return dirs;
  std::filesystem::path base = std::filesystem::path(file).parent_path();
  const strata_value& list = tree->root()->items[0];
  for (size_t i = 0; i < list.count; ++i) {
    std::filesystem::path dir(
        std::string(list.items[i].string_value.data, list.items[i].string_value.len));
    if (dir.is_relative()) dir = base / dir;
    dirs.push_back(std::filesystem::absolute(dir).lexically_normal().string());
  }
  return dirs;
}

void checkSections(const ConfigNode& root, config::Diagnostics& diags) {
  for (const ConfigNode& key : root.keys) {
    if (std::find(kSections.begin(), kSections.end(), key.scalar) != kSections.end()) continue;
    std::string hint = config::didYouMeanHint(key.scalar, kSections);
    std::string list = "sections: " + config::joinNames(kSections);
    diags.error("unknown-section", key.pos, "unknown top-level section '" + key.scalar + "'",
                hint.empty() ? list : hint + " (" + list + ")");
  }
}

// Parsed and ${ENV}-expanded; a null node (and diagnostics) when unusable.
ConfigNode load(const std::string& text, const std::string& file, config::Diagnostics& diags) {
  ConfigNode root = config::parseYaml(text, file, diags);
  if (diags.hasErrors()) return ConfigNode{};
  config::expandEnv(root, diags);
  if (!root.isMap() && !root.isNull()) {
    diags.error("wrong-type", root.pos,
                "a pipeline file must be a map of sections, got " + root.describe());
    return ConfigNode{};
  }
  return root;
}

// A scalar whose ${ENV} could not be expanded also fails its option check; the env error is
// the one worth reading, so drop whatever else points at exactly that position.
void dropFollowUps(config::Diagnostics& diags) {
  std::set<std::tuple<std::string, int, int>> env;
  for (const config::Diagnostic& d : diags.items()) {
    if (d.code.rfind("env-", 0) == 0) env.insert({d.pos.file, d.pos.line, d.pos.column});
  }
  if (env.empty()) return;
  config::Diagnostics kept;
  for (const config::Diagnostic& d : diags.items()) {
    bool follow_up =
        d.code.rfind("env-", 0) != 0 && env.count({d.pos.file, d.pos.line, d.pos.column});
    if (follow_up) continue;
    if (d.severity == config::Severity::kError) {
      kept.error(d.code, d.pos, d.message, d.hint);
    } else {
      kept.warning(d.code, d.pos, d.message, d.hint);
    }
  }
  diags = std::move(kept);
}

}  // namespace

PlanResult planText(const std::string& text, const std::string& file_name,
                    const plugin::Registry& registry) {
  PlanResult result;
  auto plan = std::make_unique<GraphPlan>();
  plan->file = file_name;
  ConfigNode root = load(text, file_name, result.diagnostics);
  if (root.isMap()) {
    detail::PlanState st{registry, result.diagnostics, *plan, {}, {}, {}, {}};
    checkSections(root, st.diags);
    planServer(root, *plan, st.diags);
    plan->plugin_dirs = planPluginDirs(root, file_name, st.diags);
    detail::planComponents(root, st);
    detail::planPipelines(root.find("pipelines"), st);
    detail::checkCrossReferences(st);
    detail::wireNodes(st);
  }
  dropFollowUps(result.diagnostics);
  result.diagnostics.sort();
  if (!result.diagnostics.hasErrors()) result.plan = std::move(plan);
  return result;
}

PlanResult planFile(const std::string& path, const plugin::Registry& registry) {
  std::string text;
  if (!config::readFile(path, text)) {
    PlanResult result;
    result.diagnostics.error("io-error", {path, 0, 0}, "cannot read the file");
    return result;
  }
  return planText(text, path, registry);
}

std::vector<std::string> pluginDirsOf(const std::string& path, config::Diagnostics& diags) {
  std::string text;
  if (!config::readFile(path, text)) {
    diags.error("io-error", {path, 0, 0}, "cannot read the file");
    return {};
  }
  config::Diagnostics local;
  ConfigNode root = load(text, path, local);
  std::vector<std::string> dirs;
  if (root.isMap()) dirs = planPluginDirs(root, path, local);
  local.sort();
  diags.append(local);
  return dirs;
}

}  // namespace strata::graph
