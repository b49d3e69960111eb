// /federate: the newest sample (within the lookback delta) of every series matching match[],
// in the Prometheus text exposition format, one `# TYPE <name> untyped` per metric name.
#include <map>

#include "core/promql/printer.h"
#include "core/promql/value.h"
#include "endpoints.h"
#include "merged_storage.h"

namespace strata::promql_api {
namespace {

void appendEscaped(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

Reply handleFederate(const RequestContext& ctx) {
  Reply reply;
  reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
  if (ctx.params.all("match[]").empty()) {
    reply.status = 400;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = "no match[] parameter provided\n";
    return reply;
  }
  auto sets = parseMatchParams(ctx.params);
  int64_t maxt = ctx.now_ms;
  int64_t mint = maxt - ctx.config.engine.lookback_delta_ms;
  // name -> labels -> newest sample
  std::map<std::string, std::map<promql::Labels, promql::Point>> families;
  for (const auto& matchers : sets) {
    promql::SelectHints hints;
    hints.start_ms = mint;
    hints.end_ms = maxt;
    auto set = ctx.storage.select(matchers, mint, maxt, hints);
    while (set->next()) {
      auto points = readAll(*set);
      if (points.empty() || promql::isStaleNaN(points.back().v)) continue;
      families[std::string(set->labels().get(promql::kMetricName))][set->labels()] = points.back();
    }
    if (!set->error().empty()) throw ApiError(kInternal, set->error());
  }
  for (const auto& [name, series] : families) {
    reply.body += "# TYPE " + name + " untyped\n";
    for (const auto& [labels, p] : series) {
      reply.body += name;
      bool any = false;
      for (const auto& l : labels) {
        if (l.name == promql::kMetricName) continue;
        reply.body += any ? "," : "{";
        any = true;
        reply.body += l.name + "=\"";
        appendEscaped(reply.body, l.value);
        reply.body += '"';
      }
      if (any) reply.body += '}';
      reply.body += ' ' + promql::formatFloatG(p.v) + ' ' + std::to_string(p.t) + '\n';
    }
  }
  return reply;
}

}  // namespace strata::promql_api
