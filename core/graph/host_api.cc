#include "core/graph/host_api.h"

#include <stdexcept>
#include <string>

#include "core/graph/instance.h"
#include "core/telemetry/logger.h"

namespace strata::graph {
namespace {

std::string s(strata_str v) { return std::string(v.data ? v.data : "", v.len); }

void apiLog(strata_host_ctx* ctx, uint32_t level, strata_str msg, const strata_str* kv,
            size_t pairs) {
  ctx->instance->log(static_cast<strata_log_level>(level), {msg.data, msg.len}, kv, pairs);
}
void apiSetError(strata_host_ctx* ctx, strata_str msg) { ctx->instance->setError(s(msg)); }
strata_status apiEmitMetrics(strata_host_ctx* ctx, strata_metrics_batch* b) {
  return ctx->instance->emitMetrics(b);
}
strata_status apiEmitBlocks(strata_host_ctx* ctx, strata_block_ref* b) {
  return ctx->instance->emitBlocks(b);
}

strata_metric* apiMetric(strata_host_ctx* ctx, uint32_t type, strata_str name, strata_str help,
                         const strata_str* kv, size_t pairs) {
  auto* inst = ctx->instance;
  telemetry::LabelPairs labels{{"component", inst->componentId()}};
  for (size_t i = 0; i < pairs; ++i) labels.emplace_back(s(kv[2 * i]), s(kv[2 * i + 1]));
  try {
    return reinterpret_cast<strata_metric*>(inst->services().metrics->series(
        static_cast<strata_metric_type>(type), s(name), s(help), std::move(labels)));
  } catch (const std::exception& e) {
    inst->log(STRATA_LOG_ERROR, std::string("metric refused: ") + e.what(), nullptr, 0);
    return nullptr;
  }
}
void apiMetricAdd(strata_metric* m, double d) {
  if (m) reinterpret_cast<telemetry::MetricSeries*>(m)->add(d);
}
void apiMetricSet(strata_metric* m, double v) {
  if (m) reinterpret_cast<telemetry::MetricSeries*>(m)->set(v);
}

strata_status apiHttpRoute(strata_host_ctx* ctx, strata_str address, strata_str prefix,
                           size_t max_body, strata_http_handler handler, void* user) {
  auto* inst = ctx->instance;
  try {
    inst->services().routes->add(
        inst->componentId(), inst, s(address), s(prefix), max_body,
        [handler, user](const strata_http_request* rq, strata_http_response* rs) {
          handler(user, rq, rs);
        });
    return STRATA_OK;
  } catch (const std::exception& e) {
    inst->setError(e.what());
    return STRATA_FAILED;
  }
}

strata_status apiHttpsRoute(strata_host_ctx* ctx, strata_str address, strata_str prefix,
                            size_t max_body, strata_str cert_file, strata_str key_file,
                            strata_str client_ca_file, strata_http_handler handler, void* user) {
  auto* inst = ctx->instance;
  try {
    inst->services().routes->add(
        inst->componentId(), inst, s(address), s(prefix), max_body,
        [handler, user](const strata_http_request* rq, strata_http_response* rs) {
          handler(user, rq, rs);
        },
        http::TlsSettings{s(cert_file), s(key_file), s(client_ca_file)});
    return STRATA_OK;
  } catch (const std::exception& e) {
    inst->setError(e.what());
    return STRATA_FAILED;
  }
}

const strata_queryable* apiQueryable(strata_host_ctx* ctx, strata_str id) {
  auto target = ctx->instance->services().find_instance(s(id));
  return target ? target->queryable() : nullptr;
}

strata_str apiComponentId(strata_host_ctx* ctx) {
  const auto& id = ctx->instance->componentId();
  return {id.data(), id.size()};
}
strata_str apiDataDir(strata_host_ctx* ctx) {
  const auto& d = ctx->instance->dataDir();
  return {d.data(), d.size()};
}
strata_str apiEmitError(strata_host_ctx*) {
  const std::string& e = Instance::emitError();
  return {e.data(), e.size()};
}

const strata_host_api kApi = {
    sizeof(strata_host_api),
    STRATA_ABI_MAJOR,
    STRATA_ABI_MINOR,
    apiLog,
    apiSetError,
    apiEmitMetrics,
    apiEmitBlocks,
    apiMetric,
    apiMetricAdd,
    apiMetricSet,
    apiHttpRoute,
    apiQueryable,
    apiComponentId,
    apiDataDir,
    apiHttpsRoute,
    apiEmitError,
};

}  // namespace

const strata_host_api* hostApi() { return &kApi; }

}  // namespace strata::graph
