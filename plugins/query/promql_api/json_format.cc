#include "json_format.h"

#include <strata/sdk/json.hpp>

namespace strata::promql_api {
namespace {

void appendPoint(std::string& out, int64_t t, std::string_view value) {
  out += '[';
  appendTimestamp(out, t);
  out += ",\"";
  out += value;
  out += "\"]";
}

void appendSeries(std::string& out, const promql::Series& s, bool matrix) {
  out += "{\"metric\":";
  appendLabels(out, s.metric);
  if (matrix) {
    out += ",\"values\":[";
    for (size_t i = 0; i < s.points.size(); ++i) {
      if (i) out += ',';
      appendPoint(out, s.points[i].t, promql::formatFloat(s.points[i].v));
    }
    out += "]}";
  } else {
    out += ",\"value\":";
    const auto& p = s.points.front();
    appendPoint(out, p.t, promql::formatFloat(p.v));
    out += '}';
  }
}

}  // namespace

void appendJsonString(std::string& out, std::string_view s) {
  sdk::appendJsonString(out, s, /*html_safe=*/true);
}

void appendTimestamp(std::string& out, int64_t t) {
  // Integer arithmetic, not a float division: exact and without exponent notation.
  uint64_t abs = t < 0 ? static_cast<uint64_t>(-(t + 1)) + 1 : static_cast<uint64_t>(t);
  if (t < 0) out += '-';
  out += std::to_string(abs / 1000);
  uint64_t frac = abs % 1000;
  if (frac == 0) return;
  out += '.';
  char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                    static_cast<char>('0' + frac % 10), 0};
  // Prometheus keeps the three digits (it prints the millisecond remainder zero-padded).
  out += digits;
}

void appendLabels(std::string& out, const promql::Labels& labels) {
  out += '{';
  bool first = true;
  for (const auto& l : labels) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, l.name);
    out += ':';
    appendJsonString(out, l.value);
  }
  out += '}';
}

std::string successEnvelope(std::string_view data_json, const std::vector<std::string>& warnings) {
  std::string out = "{\"status\":\"success\",\"data\":";
  out += data_json;
  if (!warnings.empty()) {
    out += ",\"warnings\":";
    out += stringListJson(warnings);
  }
  out += '}';
  return out;
}

std::string errorEnvelope(std::string_view error_type, std::string_view message) {
  std::string out = "{\"status\":\"error\",\"errorType\":";
  appendJsonString(out, error_type);
  out += ",\"error\":";
  appendJsonString(out, message);
  out += '}';
  return out;
}

std::string queryResultJson(const promql::QueryResult& r) {
  using promql::ValueType;
  std::string out = "{\"resultType\":";
  switch (r.type) {
    case ValueType::kScalar:
      out += "\"scalar\",\"result\":";
      appendPoint(out, r.t, promql::formatFloat(r.scalar));
      break;
    case ValueType::kString: {
      out += "\"string\",\"result\":";
      std::string quoted;
      appendJsonString(quoted, r.str);
      out += '[';
      appendTimestamp(out, r.t);
      out += ',';
      out += quoted;
      out += ']';
      break;
    }
    case ValueType::kVector:
    case ValueType::kMatrix: {
      bool matrix = r.type == ValueType::kMatrix;
      out += matrix ? "\"matrix\",\"result\":[" : "\"vector\",\"result\":[";
      bool first = true;
      for (const auto& s : r.series) {
        if (s.points.empty()) continue;
        if (!first) out += ',';
        first = false;
        appendSeries(out, s, matrix);
      }
      out += ']';
      break;
    }
    default:
      out += "\"vector\",\"result\":[]";
  }
  out += '}';
  return out;
}

std::string stringListJson(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, items[i]);
  }
  out += ']';
  return out;
}

}  // namespace strata::promql_api
