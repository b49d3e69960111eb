#include "promql_api.h"

namespace strata::promql_api {

PromqlApi::PromqlApi(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host), config_(ApiConfig::parse(config)) {}

strata_status PromqlApi::start() {
  sdk::Host h = host();
  handler_ =
      std::make_unique<ApiHandler>(config_, [h](const std::string& id) { return h.queryable(id); });
  handler_->setSkipLogger([h](std::string_view path, const std::vector<std::string>& sources) {
    std::string names;
    for (const auto& s : sources) names += (names.empty() ? "" : ",") + s;
    h.debug("sources skipped: their time range or labels cannot match",
            {{"path", std::string(path)}, {"sources", names}});
  });
  // The host may publish its providers only once the whole graph has started, so a source
  // not found yet is looked up again by the first request.
  std::string missing;
  if (!handler_->resolveSources(&missing)) {
    host().info("query source not available yet; resolving on first request",
                {{"source", missing}});
  }
  for (const auto& prefix : ApiHandler::routePrefixes()) {
    strata_status st = host().route(config_.listen_address, prefix, config_.max_body_bytes,
                                    &ApiHandler::callback, handler_.get());
    if (st != STRATA_OK) {
      host().setError("cannot serve " + prefix + " on " + config_.listen_address);
      return st;
    }
  }
  host().info("serving the Prometheus query API", {{"listen_address", config_.listen_address}});
  return STRATA_OK;
}

strata_status PromqlApi::drain() {
  if (handler_) handler_->stopAccepting();
  return STRATA_OK;
}

void PromqlApi::stop() {
  if (handler_) handler_->stopAccepting();
}

}  // namespace strata::promql_api
