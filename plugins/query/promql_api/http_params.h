// Request parameters of the Prometheus HTTP API: the query string and, for POST, an
// application/x-www-form-urlencoded body, merged like Go's Request.ParseForm (body first).
// Also the API's time and duration formats.
#pragma once

#include <strata/plugin_abi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::promql_api {

class Params {
 public:
  // Throws std::invalid_argument on a malformed form body or escape.
  static Params fromRequest(const strata_http_request& req);
  static Params parse(std::string_view urlencoded);

  void add(std::string name, std::string value);
  // The first value of `name`, nullopt when absent.
  std::optional<std::string> get(std::string_view name) const;
  // Every value of `name` in order (e.g. match[]).
  std::vector<std::string> all(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Percent-decoding with '+' as space; throws std::invalid_argument on a bad escape.
std::string urlDecode(std::string_view s);

// Prometheus' parseTime: unix seconds (a float, rounded to milliseconds) or RFC 3339.
// Returns milliseconds since the epoch; throws std::invalid_argument with Prometheus' text.
int64_t parseTimeMs(std::string_view s);
// Prometheus' parseDuration: float seconds or a PromQL duration; milliseconds.
int64_t parseDurationMs(std::string_view s);
// Thanos' max_source_resolution: "auto" -> STRATA_MAX_RESOLUTION_AUTO (step / 5), "raw" or
// a duration ("0s", "5m", "1h") -> milliseconds; absent or empty -> 0 (raw, Thanos' default
// without --query.auto-downsampling). Throws std::invalid_argument naming the parameter.
int64_t maxSourceResolutionMs(const std::optional<std::string>& value);

// The bounds Prometheus uses for "no start"/"no end" in series and label queries.
inline constexpr int64_t kMinTimeMs = -9223309901257974LL * 1000;  // Go minTime, in ms
inline constexpr int64_t kMaxTimeMs = 9223309901257974LL * 1000;

}  // namespace strata::promql_api
