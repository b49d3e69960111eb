#include "api_handler.h"

#include <chrono>

#include "core/promql/queryable_storage.h"
#include "json_format.h"
#include "merged_storage.h"

namespace strata::promql_api {
namespace {

std::string_view view(strata_str s) { return {s.data ? s.data : "", s.len}; }

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Reply errorReply(const ApiError& e, bool plain) {
  Reply r;
  r.status = e.httpStatus();
  if (plain) {
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::string(e.what()) + "\n";
  } else {
    r.body = errorEnvelope(e.type(), e.what());
  }
  return r;
}

bool isOneOf(std::string_view method, std::initializer_list<std::string_view> allowed) {
  for (auto m : allowed)
    if (m == method) return true;
  return false;
}

}  // namespace

ApiHandler::ApiHandler(ApiConfig config, Resolver resolve)
    : config_(std::move(config)), resolve_(std::move(resolve)) {}

bool ApiHandler::resolveSources(std::string* missing) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!sources_.empty()) return true;
  std::vector<const strata_queryable*> found;
  for (const auto& id : config_.sources) {
    const strata_queryable* q = resolve_(id);
    if (!q) {
      if (missing) *missing = id;
      return false;
    }
    found.push_back(q);
  }
  sources_ = std::move(found);
  return true;
}

std::vector<const strata_queryable*> ApiHandler::sources() const {
  std::string missing;
  if (!resolveSources(&missing)) {
    throw ApiError(kUnavailable, "source " + missing + " provides no Queryable");
  }
  std::lock_guard<std::mutex> lock(mu_);
  return sources_;
}

const std::vector<std::string>& ApiHandler::routePrefixes() {
  static const std::vector<std::string> kPrefixes = {"/api/v1/query",
                                                     "/api/v1/query_range",
                                                     "/api/v1/series",
                                                     "/api/v1/labels",
                                                     "/api/v1/label/",
                                                     "/api/v1/metadata",
                                                     "/api/v1/status/buildinfo",
                                                     "/api/v1/format_query",
                                                     "/api/v1/read",
                                                     "/federate"};
  return kPrefixes;
}

std::string ApiHandler::tenantOf(const strata_http_request& req) const {
  std::string_view t = sdk::header(&req, config_.tenant_header);
  return t.empty() ? config_.default_tenant : std::string(t);
}

Reply ApiHandler::handle(const strata_http_request& req, strata_http_response* resp) const {
  std::string_view path = view(req.path);
  bool plain = path == "/api/v1/read" || path == "/federate";
  try {
    if (!accepting_) throw ApiError(kUnavailable, "the query API is shutting down");
    return dispatch(req, path, resp);
  } catch (const ApiError& e) {
    return errorReply(e, plain);
  } catch (const promql::QueryError& e) {
    return errorReply(ApiError(kInternal, e.what()), plain);
  } catch (const std::invalid_argument& e) {
    return errorReply(ApiError(kBadData, e.what()), plain);
  } catch (const std::exception& e) {
    return errorReply(ApiError(kInternal, e.what()), plain);
  }
}

Reply ApiHandler::dispatch(const strata_http_request& req, std::string_view path,
                           strata_http_response* resp) const {
  std::string_view method = view(req.method);
  std::string tenant = tenantOf(req);
  std::vector<std::unique_ptr<promql::Storage>> parts;
  const std::vector<const strata_queryable*> queryables = sources();
  std::vector<sdk::SourceInfo> infos(queryables.size());
  // Thanos' max_source_resolution, on the queries only (the store gateway picks blocks by it).
  int64_t max_resolution_ms = 0;
  if (path == "/api/v1/query" || path == "/api/v1/query_range")
    max_resolution_ms =
        maxSourceResolutionMs(Params::fromRequest(req).get("max_source_resolution"));
  for (size_t i = 0; i < queryables.size(); ++i) {
    auto part = std::make_unique<promql::QueryableStorage>(*queryables[i], tenant);
    part->setMaxResolution(max_resolution_ms);
    parts.push_back(std::move(part));
    sdk::querySourceInfo(*queryables[i], tenant, &infos[i]);
  }
  MergedStorage storage(std::move(parts), config_.sources, std::move(infos));
  // Whichever way the request ends, say which sources its advertised info let it skip.
  struct ReportSkipped {
    const MergedStorage& storage;
    const SkipLogger& log;
    std::string_view path;
    ~ReportSkipped() {
      if (!log) return;
      if (auto skipped = storage.skipped(); !skipped.empty()) log(path, skipped);
    }
  } report{storage, skip_logger_, path};

  if (path == "/api/v1/read") {
    if (method != "POST") throw ApiError(kBadData, "remote read needs POST");
    Params none;
    RequestContext ctx{
        config_,     none,  storage, nowMs(), std::string_view(req.body, req.body_len),
        &queryables, tenant};
    ctx.response = resp;
    return handleRemoteRead(ctx);
  }
  if (!isOneOf(method, {"GET", "POST"})) {
    Reply r;
    r.status = 405;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "method not allowed\n";
    return r;
  }
  Params params = Params::fromRequest(req);
  RequestContext ctx{config_, params,      storage, nowMs(),
                     {},      &queryables, tenant,  &storage.warnings()};
  if (path == "/api/v1/query") return handleQuery(ctx);
  if (path == "/api/v1/query_range") return handleQueryRange(ctx);
  if (path == "/api/v1/series") return handleSeries(ctx);
  if (path == "/api/v1/labels") return handleLabels(ctx);
  if (path == "/api/v1/metadata") return handleMetadata(ctx);
  if (path == "/api/v1/status/buildinfo") return handleBuildInfo(ctx);
  if (path == "/api/v1/format_query") return handleFormatQuery(ctx);
  if (path == "/federate") return handleFederate(ctx);
  constexpr std::string_view kLabel = "/api/v1/label/", kValues = "/values";
  if (path.starts_with(kLabel) && path.ends_with(kValues) &&
      path.size() > kLabel.size() + kValues.size()) {
    auto name = path.substr(kLabel.size(), path.size() - kLabel.size() - kValues.size());
    return handleLabelValues(ctx, urlDecode(name));
  }
  throw ApiError(kNotFound, "not found: " + std::string(path));
}

void ApiHandler::callback(void* user, const strata_http_request* req, strata_http_response* resp) {
  Reply r;
  try {
    r = static_cast<const ApiHandler*>(user)->handle(*req, resp);
    if (r.streamed) return;
  } catch (...) {
    r.status = 500;
    r.body = errorEnvelope(kInternal, "unexpected failure");
  }
  for (const auto& [name, value] : r.headers)
    resp->add_header(resp, sdk::str(name), sdk::str(value));
  resp->send(resp, r.status, sdk::str(r.content_type), r.body.data(), r.body.size());
}

}  // namespace strata::promql_api
