// The API's endpoints as functions of a request context, so they are testable without HTTP.
// Each returns the reply; failures are thrown as ApiError and turned into Prometheus' error
// envelope by the dispatcher.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api_config.h"
#include "core/promql/storage.h"
#include "http_params.h"

namespace strata::promql_api {

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool streamed = false;  // the body already went out through the response's stream slots
};

// errorType values of the Prometheus API.
inline constexpr const char* kBadData = "bad_data";
inline constexpr const char* kExecution = "execution";
inline constexpr const char* kTimeout = "timeout";
inline constexpr const char* kCanceled = "canceled";
inline constexpr const char* kInternal = "internal";
inline constexpr const char* kUnavailable = "unavailable";
inline constexpr const char* kNotFound = "not_found";

class ApiError : public std::runtime_error {
 public:
  ApiError(const char* type, const std::string& message)
      : std::runtime_error(message), type_(type) {}
  const char* type() const { return type_; }
  int httpStatus() const;

 private:
  const char* type_;
};

// Throws ApiError(bad_data) with Prometheus' `invalid parameter "name": ...` wording.
[[noreturn]] void invalidParam(const std::string& name, const std::string& why);

struct RequestContext {
  const ApiConfig& config;
  const Params& params;
  promql::Storage& storage;
  int64_t now_ms;
  std::string_view body;  // raw request body (remote read)
  // The sources' Queryables and the request's tenant, for what promql::Storage does not
  // cover (metric metadata).
  const std::vector<const strata_queryable*>* sources = nullptr;
  std::string_view tenant;
  // Filled while the request runs (a further source that failed): the response's warnings.
  const std::vector<std::string>* warnings = nullptr;
  // The host's response, for an endpoint that streams a large body (remote read) instead of
  // building it whole; null in tests that call handle() without one.
  strata_http_response* response = nullptr;
};

// The request's warnings so far (empty when there are none).
inline const std::vector<std::string>& warningsOf(const RequestContext& ctx) {
  static const std::vector<std::string> kNone;
  return ctx.warnings ? *ctx.warnings : kNone;
}

Reply handleQuery(const RequestContext& ctx);
Reply handleQueryRange(const RequestContext& ctx);
Reply handleFormatQuery(const RequestContext& ctx);
Reply handleSeries(const RequestContext& ctx);
Reply handleLabels(const RequestContext& ctx);
Reply handleLabelValues(const RequestContext& ctx, const std::string& name);
Reply handleMetadata(const RequestContext& ctx);
Reply handleBuildInfo(const RequestContext& ctx);
Reply handleFederate(const RequestContext& ctx);
Reply handleRemoteRead(const RequestContext& ctx);

// Parses each match[] as a series selector; throws ApiError(bad_data).
std::vector<std::vector<promql::Matcher>> parseMatchParams(const Params& params);
// The value of time parameter `name` (or `fallback` when absent); throws ApiError.
int64_t timeParam(const Params& params, const std::string& name, int64_t fallback);

}  // namespace strata::promql_api
