#include "core/promql/test_script.h"

#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "core/promql/duration.h"
#include "core/promql/parser.h"

namespace strata::promql {
namespace {

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return std::string(s.substr(a, b - a + 1));
}

std::optional<double> parseValue(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

// Splits "metric{a="b"} 1 2 3" into the series description and the values text.
std::pair<std::string, std::string> splitSeriesLine(const std::string& line) {
  size_t brace = line.rfind('}');
  if (brace != std::string::npos) return {line.substr(0, brace + 1), trim(line.substr(brace + 1))};
  size_t sp = line.find_first_of(" \t");
  if (sp == std::string::npos) return {line, ""};
  return {line.substr(0, sp), trim(line.substr(sp))};
}

// Go's almostEqual with epsilon 1e-6, NaN equal to NaN.
bool almostEqual(double a, double b) {
  constexpr double kEpsilon = 0.000001;
  constexpr double kMinNormal = 2.2250738585072014e-308;
  if (std::isnan(a) && std::isnan(b)) return true;
  if (a == b) return true;
  double diff = std::abs(a - b);
  if (a == 0 || b == 0 || diff < kMinNormal) return diff < kEpsilon * kMinNormal;
  return diff / (std::abs(a) + std::abs(b)) < kEpsilon;
}

std::string fmt(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

}  // namespace

std::vector<std::optional<double>> expandSeriesValues(std::string_view text) {
  static const std::regex kExpand(
      R"(^([+-]?(?:[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|Inf|NaN))(?:([+-])([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?))?x([0-9]+)$)");
  std::vector<std::optional<double>> out;
  std::istringstream in{std::string(text)};
  std::string tok;
  while (in >> tok) {
    if (tok == "_") {
      out.push_back(std::nullopt);
      continue;
    }
    if (tok.rfind("_x", 0) == 0) {
      int n = std::stoi(tok.substr(2));
      for (int i = 0; i < n; ++i) out.push_back(std::nullopt);
      continue;
    }
    if (tok == "stale") {
      out.push_back(staleNaN());
      continue;
    }
    std::smatch m;
    if (std::regex_match(tok, m, kExpand)) {
      double start = *parseValue(m[1].str());
      double delta = 0;
      if (m[2].matched) {
        delta = *parseValue(m[3].str());
        if (m[2].str() == "-") delta = -delta;
      }
      int n = std::stoi(m[4].str());
      // Like Prometheus, accumulate by repeated addition.
      double v = start;
      for (int i = 0; i <= n; ++i) {
        out.push_back(v);
        v += delta;
      }
      continue;
    }
    auto v = parseValue(tok);
    if (!v) throw std::runtime_error("invalid value \"" + tok + "\"");
    out.push_back(*v);
  }
  return out;
}

std::vector<ScriptCommand> parseTestScript(std::string_view text, const std::string& file) {
  std::vector<std::string> lines;
  {
    std::istringstream in{std::string(text)};
    std::string l;
    while (std::getline(in, l)) lines.push_back(l);
  }
  static const std::regex kEval(R"(^eval(?:_(fail|ordered))?\s+instant\s+(?:at\s+(\S+))?\s+(.+)$)");
  static const std::regex kLoad(R"(^load\s+(\S+)$)");
  std::vector<ScriptCommand> cmds;
  auto fail = [&](size_t i, const std::string& msg) {
    throw std::runtime_error(file + ":" + std::to_string(i + 1) + ": " + msg);
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    std::smatch m;
    ScriptCommand cmd;
    cmd.line = static_cast<int>(i + 1);
    if (line == "clear") {
      cmd.kind = ScriptCommand::Kind::kClear;
      cmds.push_back(std::move(cmd));
      continue;
    }
    auto body = [&](auto&& each) {
      while (i + 1 < lines.size()) {
        std::string next = trim(lines[i + 1]);
        if (next.empty()) break;
        ++i;
        if (next[0] == '#') continue;
        each(next);
      }
    };
    if (std::regex_match(line, m, kLoad)) {
      cmd.kind = ScriptCommand::Kind::kLoad;
      auto d = parseDuration(m[1].str());
      if (!d) fail(i, "invalid load interval " + m[1].str());
      cmd.interval_ms = *d;
      size_t at = i;
      body([&](const std::string& l) {
        auto [desc, vals] = splitSeriesLine(l);
        try {
          cmd.series.push_back(SeriesDef{parseSeriesDescription(desc), expandSeriesValues(vals)});
        } catch (const std::exception& e) {
          fail(at, e.what());
        }
      });
      cmds.push_back(std::move(cmd));
      continue;
    }
    if (std::regex_match(line, m, kEval)) {
      cmd.kind = ScriptCommand::Kind::kEval;
      cmd.expect_fail = m[1].str() == "fail";
      cmd.ordered = m[1].str() == "ordered";
      auto t = parseDuration(m[2].str());
      if (!t) fail(i, "invalid eval time " + m[2].str());
      cmd.time_ms = *t;
      cmd.expr = m[3].str();
      size_t at = i;
      body([&](const std::string& l) {
        auto [desc, vals] = splitSeriesLine(l);
        ExpectedSample e;
        if (auto scalar = parseValue(desc); scalar && vals.empty()) {
          e.value = *scalar;
        } else {
          try {
            e.metric = parseSeriesDescription(desc);
            auto v = expandSeriesValues(vals);
            if (v.size() != 1 || !v[0]) fail(at, "expected exactly one value in \"" + l + "\"");
            e.value = *v[0];
          } catch (const QueryError& err) {
            fail(at, err.what());
          }
        }
        cmd.expected.push_back(std::move(e));
      });
      cmds.push_back(std::move(cmd));
      continue;
    }
    fail(i, "invalid command \"" + line + "\"");
  }
  return cmds;
}

namespace {

// Compares an instant result with the expectation; empty string when they agree.
std::string compare(const ScriptCommand& cmd, const QueryResult& r) {
  if (r.type == ValueType::kScalar) {
    if (cmd.expected.size() != 1 || cmd.expected[0].metric) {
      return "expected a vector, got scalar " + fmt(r.scalar);
    }
    if (!almostEqual(cmd.expected[0].value, r.scalar)) {
      return "expected scalar " + fmt(cmd.expected[0].value) + " but got " + fmt(r.scalar);
    }
    return "";
  }
  if (r.type != ValueType::kVector) return "received range result on instant evaluation";
  std::map<Labels, std::pair<size_t, double>> want;
  for (size_t i = 0; i < cmd.expected.size(); ++i) {
    if (!cmd.expected[i].metric) return "expected a scalar, got a vector";
    want[*cmd.expected[i].metric] = {i, cmd.expected[i].value};
  }
  for (size_t pos = 0; pos < r.series.size(); ++pos) {
    const Series& s = r.series[pos];
    auto it = want.find(s.metric);
    if (it == want.end()) return "unexpected metric " + s.metric.toString() + " in result";
    if (cmd.ordered && it->second.first != pos) {
      return "expected metric " + s.metric.toString() + " at position " +
             std::to_string(it->second.first + 1) + " but was at " + std::to_string(pos + 1);
    }
    double got = s.points.back().v;
    if (!almostEqual(it->second.second, got)) {
      return "expected " + fmt(it->second.second) + " for " + s.metric.toString() + " but got " +
             fmt(got);
    }
  }
  if (r.series.size() != want.size()) {
    return "expected " + std::to_string(want.size()) + " samples, got " +
           std::to_string(r.series.size());
  }
  return "";
}

}  // namespace

std::vector<EvalOutcome> runTestScript(const std::vector<ScriptCommand>& commands,
                                       const Engine& engine, MemoryStorage& storage) {
  std::vector<EvalOutcome> outcomes;
  for (const auto& cmd : commands) {
    switch (cmd.kind) {
      case ScriptCommand::Kind::kClear:
        storage.clear();
        break;
      case ScriptCommand::Kind::kLoad:
        for (const auto& s : cmd.series) {
          for (size_t i = 0; i < s.values.size(); ++i) {
            if (s.values[i])
              storage.append(s.labels, static_cast<int64_t>(i) * cmd.interval_ms, *s.values[i]);
          }
        }
        break;
      case ScriptCommand::Kind::kEval: {
        EvalOutcome o{cmd.line, cmd.expr, false, ""};
        try {
          QueryResult r = engine.instantQuery(storage, cmd.expr, cmd.time_ms);
          if (cmd.expect_fail) {
            o.message = "expected an error, got none";
          } else {
            o.message = compare(cmd, r);
            // As Prometheus' test does: the same query in range mode around the eval time
            // must agree at the eval time (order is not defined there).
            if (o.message.empty() && !cmd.ordered) {
              QueryResult rr = engine.rangeQuery(storage, cmd.expr, cmd.time_ms - 60000,
                                                 cmd.time_ms + 60000, 60000);
              QueryResult at_eval;
              at_eval.type = r.type;
              for (const auto& s : rr.series) {
                for (const auto& p : s.points) {
                  if (p.t == cmd.time_ms) {
                    at_eval.series.push_back(Series{s.metric, {p}});
                    at_eval.scalar = p.v;
                  }
                }
              }
              std::string range_msg = compare(cmd, at_eval);
              if (!range_msg.empty()) o.message = "range mode: " + range_msg;
            }
          }
        } catch (const QueryError& e) {
          if (!cmd.expect_fail) o.message = std::string("error: ") + e.what();
        }
        o.passed = o.message.empty();
        outcomes.push_back(std::move(o));
        break;
      }
    }
  }
  return outcomes;
}

}  // namespace strata::promql
