// /api/v1/query, /api/v1/query_range and /api/v1/format_query.
#include <algorithm>

#include "core/promql/engine.h"
#include "core/promql/parser.h"
#include "core/promql/prettier.h"
#include "endpoints.h"
#include "json_format.h"

namespace strata::promql_api {
namespace {

// Engine failures as Prometheus reports them (web/api/v1 returnAPIError).
[[noreturn]] void rethrowQueryError(const promql::QueryError& e) {
  switch (e.kind()) {
    case promql::ErrorKind::kParse:
      invalidParam("query", e.what());
    case promql::ErrorKind::kTimeout:
      throw ApiError(kTimeout, e.what());
    case promql::ErrorKind::kStorage:
      throw ApiError(kInternal, e.what());
    default:
      throw ApiError(kExecution, e.what());
  }
}

promql::NodePtr parseQuery(const Params& params) {
  try {
    return promql::parseExpr(params.get("query").value_or(""));
  } catch (const promql::QueryError& e) {
    invalidParam("query", e.what());
  }
}

// The engine options of one request: the `timeout` parameter can only shorten the limit.
promql::EngineOptions optionsFor(const RequestContext& ctx) {
  promql::EngineOptions opts = ctx.config.engine;
  if (auto to = ctx.params.get("timeout"); to && !to->empty()) {
    int64_t ms = 0;
    try {
      ms = parseDurationMs(*to);
    } catch (const std::invalid_argument& e) {
      invalidParam("timeout", e.what());
    }
    if (ms > 0) opts.timeout_ms = std::min(opts.timeout_ms, ms);
  }
  return opts;
}

Reply resultReply(const promql::QueryResult& r, const RequestContext& ctx) {
  Reply reply;
  reply.body = querySuccessJson(r, warningsOf(ctx));
  return reply;
}

}  // namespace

Reply handleQuery(const RequestContext& ctx) {
  int64_t t = timeParam(ctx.params, "time", ctx.now_ms);
  promql::Engine engine(optionsFor(ctx));
  auto expr = parseQuery(ctx.params);
  try {
    auto r = engine.exec(ctx.storage, *expr, t, t, 0, true);
    r.t = t;
    return resultReply(r, ctx);
  } catch (const promql::QueryError& e) {
    rethrowQueryError(e);
  }
}

Reply handleQueryRange(const RequestContext& ctx) {
  int64_t start = timeParam(ctx.params, "start", 0);
  int64_t end = timeParam(ctx.params, "end", 0);
  if (!ctx.params.get("start")) invalidParam("start", "cannot parse \"\" to a valid timestamp");
  if (!ctx.params.get("end")) invalidParam("end", "cannot parse \"\" to a valid timestamp");
  if (end < start) throw ApiError(kBadData, "end timestamp must not be before start time");
  int64_t step = 0;
  try {
    step = parseDurationMs(ctx.params.get("step").value_or(""));
  } catch (const std::invalid_argument& e) {
    invalidParam("step", e.what());
  }
  if (step <= 0) {
    throw ApiError(kBadData,
                   "zero or negative query resolution step widths are not accepted. Try a "
                   "positive integer");
  }
  if ((end - start) / step > ctx.config.max_points_per_series) {
    throw ApiError(kBadData,
                   "exceeded maximum resolution of 11,000 points per timeseries. Try "
                   "decreasing the query resolution (?step=XX)");
  }
  promql::Engine engine(optionsFor(ctx));
  auto expr = parseQuery(ctx.params);
  // Prometheus refuses these when creating the query, hence bad_data rather than execution.
  promql::ValueType type = promql::typeOf(*expr);
  if (type != promql::ValueType::kScalar && type != promql::ValueType::kVector) {
    invalidParam("query", std::string("invalid expression type \"") + promql::valueTypeName(type) +
                              "\" for range query, must be Scalar or instant Vector");
  }
  try {
    return resultReply(engine.exec(ctx.storage, *expr, start, end, step, false), ctx);
  } catch (const promql::QueryError& e) {
    rethrowQueryError(e);
  }
}

Reply handleFormatQuery(const RequestContext& ctx) {
  auto expr = parseQuery(ctx.params);
  std::string data;
  appendJsonString(data, promql::prettyExpr(*expr));
  Reply reply;
  reply.body = successEnvelope(data);
  return reply;
}

}  // namespace strata::promql_api
