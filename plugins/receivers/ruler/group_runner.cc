#include "group_runner.h"

#include <algorithm>
#include <chrono>
#include <functional>

namespace strata::ruler {

GroupRunner::GroupRunner(Group group, int64_t interval_ms)
    : group_(std::move(group)),
      interval_ms_(group_.interval_ms > 0 ? group_.interval_ms : interval_ms) {
  for (const Rule& r : group_.rules) {
    rules_.emplace_back(r);
    RuleStatus st;
    st.rule = r;
    status_.push_back(std::move(st));
  }
  previous_.resize(rules_.size());
}

int64_t GroupRunner::alignedTimestamp(int64_t now_ms) const {
  uint64_t h = std::hash<std::string>{}(group_.file + ";" + group_.name);
  int64_t offset = static_cast<int64_t>(h % static_cast<uint64_t>(interval_ms_));
  int64_t adjusted = now_ms - offset;
  int64_t base = adjusted - ((adjusted % interval_ms_) + interval_ms_) % interval_ms_;
  return base + offset;
}

std::vector<OutSample> GroupRunner::evaluate(promql::Storage& storage, const promql::Engine& engine,
                                             int64_t ts, const EvalEnv& env) {
  using Clock = std::chrono::steady_clock;
  auto group_start = Clock::now();
  std::vector<OutSample> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < rules_.size(); ++i) {
    RuleStatus& st = status_[i];
    auto start = Clock::now();
    std::set<promql::Labels> now;
    try {
      promql::QueryResult r = engine.instantQuery(storage, rules_[i].rule().expr, ts);
      promql::Matrix m;
      if (r.type == promql::ValueType::kScalar)
        m.push_back({promql::Labels{}, {{ts, r.scalar}}});
      else
        m = std::move(r.series);
      std::vector<OutSample> got = rules_[i].apply(m, ts, group_.limit, env);
      for (OutSample& s : got) {
        now.insert(s.labels);
        out.push_back(std::move(s));
      }
      st.health = "ok";
      st.last_error.clear();
    } catch (const std::exception& e) {
      st.health = "err";
      st.last_error = e.what();
    }
    // Series written last time and not now end with a staleness marker.
    for (const promql::Labels& l : previous_[i])
      if (!now.count(l)) out.push_back({l, promql::staleNaN()});
    previous_[i] = std::move(now);
    st.last_eval_ms = ts;
    st.eval_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    st.alerts.clear();
    for (const auto& [l, a] : rules_[i].alerts())
      if (a.state != AlertState::kInactive) st.alerts.push_back(a);
  }
  last_eval_ms_ = ts;
  eval_seconds_ = std::chrono::duration<double>(Clock::now() - group_start).count();
  return out;
}

std::vector<Alert> GroupRunner::alertsToSend(int64_t ts, int64_t resend_delay_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Alert> out;
  int64_t valid = 4 * std::max(resend_delay_ms, interval_ms_);
  for (RuleEval& r : rules_) {
    for (auto& [l, a] : r.mutableAlerts()) {
      if (!a.needsSending(ts, resend_delay_ms)) continue;
      a.last_sent_at = ts;
      a.valid_until = ts + valid;
      out.push_back(a);
    }
  }
  return out;
}

GroupStatus GroupRunner::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {group_.name,   group_.file,   interval_ms_, group_.limit,
          last_eval_ms_, eval_seconds_, status_};
}

}  // namespace strata::ruler
