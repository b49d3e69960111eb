// /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values and /api/v1/status/buildinfo
// (/api/v1/metadata is in metadata_endpoint.cc).
#include <set>

#include "core/promql/ast.h"
#include "core/promql/parser.h"
#include "core/promql/value.h"
#include "endpoints.h"
#include "json_format.h"
#include "merged_storage.h"

namespace strata::promql_api {
namespace {

bool validLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

Reply listReply(const std::vector<std::string>& items, const RequestContext& ctx) {
  Reply r;
  r.body = successEnvelope(stringListJson(items), warningsOf(ctx));
  return r;
}

// Storage failures of metadata queries are internal errors, as in Prometheus.
template <typename F>
auto storageCall(F&& f) {
  try {
    return f();
  } catch (const promql::QueryError& e) {
    throw ApiError(kInternal, e.what());
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const ApiError*>(&e)) throw;
    throw ApiError(kInternal, e.what());
  }
}

}  // namespace

int ApiError::httpStatus() const {
  std::string_view t = type_;
  if (t == kBadData) return 400;
  if (t == kExecution) return 422;
  if (t == kCanceled || t == kTimeout || t == kUnavailable) return 503;
  if (t == kNotFound) return 404;
  return 500;
}

void invalidParam(const std::string& name, const std::string& why) {
  throw ApiError(kBadData, "invalid parameter \"" + name + "\": " + why);
}

int64_t timeParam(const Params& params, const std::string& name, int64_t fallback) {
  auto v = params.get(name);
  if (!v || v->empty()) return fallback;
  try {
    return parseTimeMs(*v);
  } catch (const std::invalid_argument& e) {
    invalidParam(name, e.what());
  }
}

std::vector<std::vector<promql::Matcher>> parseMatchParams(const Params& params) {
  std::vector<std::vector<promql::Matcher>> out;
  for (const auto& text : params.all("match[]")) {
    promql::NodePtr node;
    try {
      node = promql::parseExpr(text);
    } catch (const promql::QueryError& e) {
      invalidParam("match[]", e.what());
    }
    if (node->kind != promql::NodeKind::kVectorSelector) {
      invalidParam("match[]", "1:1: parse error: expected type instant vector in selector");
    }
    out.push_back(static_cast<const promql::VectorSelector&>(*node).matchers);
  }
  return out;
}

Reply handleSeries(const RequestContext& ctx) {
  if (ctx.params.all("match[]").empty()) throw ApiError(kBadData, "no match[] parameter provided");
  int64_t start = timeParam(ctx.params, "start", kMinTimeMs);
  int64_t end = timeParam(ctx.params, "end", kMaxTimeMs);
  auto sets = parseMatchParams(ctx.params);
  std::set<promql::Labels> found;
  storageCall([&] {
    for (const auto& matchers : sets) {
      promql::SelectHints hints;
      hints.start_ms = start;
      hints.end_ms = end;
      hints.function = "series";  // as Prometheus: labels only, samples not needed
      auto set = ctx.storage.select(matchers, start, end, hints);
      while (set->next()) found.insert(set->labels());
      if (!set->error().empty()) throw ApiError(kInternal, set->error());
    }
    return 0;
  });
  std::string data = "[";
  bool first = true;
  for (const auto& labels : found) {
    if (!first) data += ',';
    first = false;
    appendLabels(data, labels);
  }
  data += ']';
  Reply r;
  r.body = successEnvelope(data, warningsOf(ctx));
  return r;
}

Reply handleLabels(const RequestContext& ctx) {
  int64_t start = timeParam(ctx.params, "start", kMinTimeMs);
  int64_t end = timeParam(ctx.params, "end", kMaxTimeMs);
  auto sets = parseMatchParams(ctx.params);
  if (sets.empty()) sets.emplace_back();
  std::set<std::string> names;
  storageCall([&] {
    for (const auto& matchers : sets) {
      for (auto& n : ctx.storage.labelNames(matchers, start, end)) names.insert(std::move(n));
    }
    return 0;
  });
  return listReply({names.begin(), names.end()}, ctx);
}

Reply handleLabelValues(const RequestContext& ctx, const std::string& name) {
  if (!validLabelName(name)) throw ApiError(kBadData, "invalid label name: \"" + name + "\"");
  int64_t start = timeParam(ctx.params, "start", kMinTimeMs);
  int64_t end = timeParam(ctx.params, "end", kMaxTimeMs);
  auto sets = parseMatchParams(ctx.params);
  if (sets.empty()) sets.emplace_back();
  std::set<std::string> values;
  storageCall([&] {
    for (const auto& matchers : sets) {
      for (auto& v : ctx.storage.labelValues(name, matchers, start, end)) {
        values.insert(std::move(v));
      }
    }
    return 0;
  });
  return listReply({values.begin(), values.end()}, ctx);
}

Reply handleBuildInfo(const RequestContext&) {
  Reply r;
  r.body = successEnvelope(
      "{\"version\":\"2.42.0\",\"revision\":\"strata\",\"branch\":\"\",\"buildUser\":\"\","
      "\"buildDate\":\"\",\"goVersion\":\"\",\"application\":\"strata promql_api 0.1.0\"}");
  return r;
}

}  // namespace strata::promql_api
