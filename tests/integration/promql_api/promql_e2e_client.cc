// Replays one Prometheus PromQL test script against a running node: every `load` through
// remote write, every `eval` through /api/v1/query and, like Prometheus' own test, through
// /api/v1/query_range around the eval time. `clear` moves to a fresh tenant (the node's
// storage is per tenant), so one node serves the whole file.
//
// Usage: promql-e2e-client BASE_URL FILE.test   Prints `FILE: N evals, P passed` and each
// failure; exits 0 (the threshold is the caller's).
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "core/promql/test_script.h"
#include "http_client.h"
#include "prompb/snappy_body.h"
#include "proto/remote.pb.h"

namespace strata::e2e {
namespace {

constexpr size_t kSamplesPerRequest = 20000;

std::string loadSeries(const std::string& url, const std::string& tenant,
                       const promql::ScriptCommand& cmd) {
  prometheus::WriteRequest req;
  size_t in_request = 0;
  std::string errors;
  auto flush = [&] {
    if (req.timeseries_size() == 0) return;
    auto reply = httpPost(url, "/api/v1/write", prompb::compress(req.SerializeAsString()),
                          "application/x-protobuf", tenant, true);
    if (reply.status / 100 != 2) {
      errors += "write " + std::to_string(reply.status) + ": " + reply.body + "\n";
    }
    req.Clear();
    in_request = 0;
  };
  // A script may define one series twice in a load (aggregators.test does); in-process
  // loading lets the later definition win per timestamp, so merge them the same way here:
  // remote write would refuse the second value as a duplicate sample.
  std::map<promql::Labels, std::vector<std::optional<double>>> merged;
  std::vector<promql::Labels> order;
  for (const auto& s : cmd.series) {
    auto [it, inserted] = merged.try_emplace(s.labels);
    if (inserted) order.push_back(s.labels);
    auto& values = it->second;
    if (values.size() < s.values.size()) values.resize(s.values.size());
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (s.values[i]) values[i] = s.values[i];
    }
  }
  for (const auto& labels : order) {
    promql::SeriesDef s{labels, merged[labels]};
    auto* ts = req.add_timeseries();
    for (const auto& l : s.labels) {
      auto* pl = ts->add_labels();
      pl->set_name(l.name);
      pl->set_value(l.value);
    }
    for (size_t i = 0; i < s.values.size(); ++i) {
      if (!s.values[i]) continue;
      auto* sample = ts->add_samples();
      sample->set_timestamp(static_cast<int64_t>(i) * cmd.interval_ms);
      sample->set_value(*s.values[i]);
      ++in_request;
    }
    if (in_request >= kSamplesPerRequest) flush();
  }
  flush();
  return errors;
}

bool almostEqual(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  double diff = std::fabs(a - b);
  if (a == 0 || b == 0 || diff < 2.2250738585072014e-308)
    return diff < 1e-6 * 2.2250738585072014e-308;
  return diff / (std::fabs(a) + std::fabs(b)) < 1e-6;
}

// Empty when the API's answer matches the script's expectation.
std::string compare(const promql::ScriptCommand& cmd, const ApiResult& r) {
  if (!r.ok) return "error: " + r.error;
  if (r.result_type == "scalar") {
    if (cmd.expected.size() != 1 || cmd.expected[0].metric) return "unexpected scalar";
    return almostEqual(cmd.expected[0].value, r.scalar) ? "" : "scalar value differs";
  }
  if (r.result_type != "vector") return "received " + r.result_type + " on instant evaluation";
  std::map<promql::Labels, std::pair<size_t, double>> want;
  for (size_t i = 0; i < cmd.expected.size(); ++i) {
    if (!cmd.expected[i].metric) return "expected a scalar, got a vector";
    want[*cmd.expected[i].metric] = {i, cmd.expected[i].value};
  }
  for (size_t pos = 0; pos < r.series.size(); ++pos) {
    auto it = want.find(r.series[pos].metric);
    if (it == want.end()) return "unexpected metric " + r.series[pos].metric.toString();
    if (cmd.ordered && it->second.first != pos) return "wrong order";
    if (!almostEqual(it->second.second, r.series[pos].points.back().second)) {
      return "value differs for " + r.series[pos].metric.toString();
    }
  }
  if (r.series.size() != want.size()) return "wrong number of series";
  return "";
}

std::string evalOne(const std::string& url, const std::string& tenant,
                    const promql::ScriptCommand& cmd) {
  std::string t = std::to_string(cmd.time_ms / 1000.0);
  auto reply = httpGet(url, "/api/v1/query?query=" + formEncode(cmd.expr) + "&time=" + t, tenant);
  ApiResult r = parseApiResult(reply);
  if (cmd.expect_fail) return r.ok ? "expected an error, got none" : "";
  std::string msg = compare(cmd, r);
  if (!msg.empty() || cmd.ordered) return msg;
  // Range mode: the same query over [t-1m, t+1m] must agree at t.
  std::string range = "/api/v1/query_range?query=" + formEncode(cmd.expr) +
                      "&start=" + std::to_string((cmd.time_ms - 60000) / 1000.0) +
                      "&end=" + std::to_string((cmd.time_ms + 60000) / 1000.0) + "&step=60";
  ApiResult rr = parseApiResult(httpGet(url, range, tenant));
  if (!rr.ok) return "range mode: " + rr.error;
  ApiResult at;
  at.ok = true;
  at.result_type = r.result_type;
  for (const auto& s : rr.series) {
    for (const auto& [pt, pv] : s.points) {
      if (pt != cmd.time_ms) continue;
      at.series.push_back({s.metric, {{pt, pv}}});
      at.scalar = pv;
    }
  }
  if (r.result_type == "scalar" && at.series.empty()) return "range mode: no point at eval time";
  if (r.result_type == "scalar") at.series.clear();
  msg = compare(cmd, at);
  return msg.empty() ? "" : "range mode: " + msg;
}

}  // namespace
}  // namespace strata::e2e

int main(int argc, char** argv) {
  using namespace strata;
  if (argc != 3) {
    std::cerr << "usage: promql-e2e-client BASE_URL FILE.test\n";
    return 2;
  }
  std::string url = argv[1], file = argv[2];
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  auto commands = promql::parseTestScript(text.str(), file);
  int segment = 0, evals = 0, passed = 0;
  std::string tenant = "seg-0";
  for (const auto& cmd : commands) {
    switch (cmd.kind) {
      case promql::ScriptCommand::Kind::kClear:
        tenant = "seg-" + std::to_string(++segment);
        break;
      case promql::ScriptCommand::Kind::kLoad: {
        std::string err = e2e::loadSeries(url, tenant, cmd);
        if (!err.empty()) std::cout << file << ":" << cmd.line << ": load: " << err;
        break;
      }
      case promql::ScriptCommand::Kind::kEval: {
        ++evals;
        std::string msg;
        try {
          msg = e2e::evalOne(url, tenant, cmd);
        } catch (const std::exception& e) {
          msg = std::string("exception: ") + e.what();
        }
        if (msg.empty()) {
          ++passed;
        } else {
          std::cout << file << ":" << cmd.line << ": FAIL " << cmd.expr << ": " << msg << "\n";
        }
        break;
      }
    }
  }
  std::cout << "file " << file << ": " << evals << " evals, " << passed << " passed\n";
  return 0;
}
