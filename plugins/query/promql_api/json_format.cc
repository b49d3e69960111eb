#include "json_format.h"

#include <charconv>
#include <cmath>
#include <strata/sdk/json.hpp>

namespace strata::promql_api {
namespace {

// promql::formatFloat without a string per value: a range result has hundreds of thousands.
void appendFloat(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[400];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    out.append(buf, res.ptr);
  }
}

void appendPoint(std::string& out, int64_t t, double v) {
  out += '[';
  appendTimestamp(out, t);
  out += ",\"";
  appendFloat(out, v);
  out += "\"]";
}

// About the bytes a result takes, so the body is allocated once.
size_t estimateBytes(const promql::QueryResult& r) {
  size_t n = 64;
  for (const auto& s : r.series) {
    n += 32 + 32 * s.points.size();
    for (const auto& l : s.metric) n += l.name.size() + l.value.size() + 8;
  }
  return n;
}

void appendSeries(std::string& out, const promql::Series& s, bool matrix) {
  out += "{\"metric\":";
  appendLabels(out, s.metric);
  if (matrix) {
    out += ",\"values\":[";
    for (size_t i = 0; i < s.points.size(); ++i) {
      if (i) out += ',';
      appendPoint(out, s.points[i].t, s.points[i].v);
    }
    out += "]}";
  } else {
    out += ",\"value\":";
    const auto& p = s.points.front();
    appendPoint(out, p.t, p.v);
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
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, abs / 1000);
  out.append(buf, res.ptr);
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

void appendQueryResult(std::string& out, const promql::QueryResult& r) {
  using promql::ValueType;
  out += "{\"resultType\":";
  switch (r.type) {
    case ValueType::kScalar:
      out += "\"scalar\",\"result\":";
      appendPoint(out, r.t, r.scalar);
      break;
    case ValueType::kString: {
      out += "\"string\",\"result\":";
      out += '[';
      appendTimestamp(out, r.t);
      out += ',';
      appendJsonString(out, r.str);
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
}

std::string queryResultJson(const promql::QueryResult& r) {
  std::string out;
  out.reserve(estimateBytes(r));
  appendQueryResult(out, r);
  return out;
}

std::string querySuccessJson(const promql::QueryResult& r,
                             const std::vector<std::string>& warnings) {
  std::string out;
  out.reserve(estimateBytes(r));
  out = "{\"status\":\"success\",\"data\":";
  appendQueryResult(out, r);
  if (!warnings.empty()) {
    out += ",\"warnings\":";
    out += stringListJson(warnings);
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
