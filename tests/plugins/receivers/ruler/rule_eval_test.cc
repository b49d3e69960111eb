// Alert state (pending -> firing, for, keep_firing_for, resolved), recording output, limits,
// and a group evaluated over an in-memory storage.
#include "rule_eval.h"

#include <gtest/gtest.h>

#include "core/promql/memory_storage.h"
#include "group_runner.h"

namespace strata::ruler {
namespace {

Rule alertRule(int64_t for_ms, int64_t keep_ms = 0) {
  Rule r;
  r.alert = "Down";
  r.expr = "up == 0";
  r.for_ms = for_ms;
  r.keep_firing_for_ms = keep_ms;
  r.labels = {{"severity", "page"}};
  r.annotations = {{"summary", "{{ $labels.instance }} down"}};
  return r;
}

promql::Matrix down(int64_t ts) {
  return {{promql::Labels{{"__name__", "up"}, {"instance", "a"}}, {{ts, 0}}}};
}

AlertState stateOf(const RuleEval& r) {
  return r.alerts().empty() ? AlertState::kInactive : r.alerts().begin()->second.state;
}

TEST(AlertState, PendingThenFiringThenResolved) {
  RuleEval r(alertRule(60000));
  EvalEnv env;
  auto out = r.apply(down(0), 0, 0, env);
  EXPECT_EQ(stateOf(r), AlertState::kPending);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].labels.get("alertstate"), "pending");
  EXPECT_EQ(out[0].labels.get("__name__"), "ALERTS");
  EXPECT_EQ(out[0].labels.get("severity"), "page");
  EXPECT_FALSE(out[0].labels.has("up"));
  EXPECT_EQ(out[1].labels.get("__name__"), "ALERTS_FOR_STATE");
  EXPECT_EQ(r.alerts().begin()->second.annotations.at("summary"), "a down");
  r.apply(down(30000), 30000, 0, env);
  EXPECT_EQ(stateOf(r), AlertState::kPending);
  out = r.apply(down(60000), 60000, 0, env);
  EXPECT_EQ(stateOf(r), AlertState::kFiring);
  EXPECT_EQ(out[0].labels.get("alertstate"), "firing");
  EXPECT_EQ(out[1].value, 0);  // ALERTS_FOR_STATE: active since t=0
  out = r.apply({}, 90000, 0, env);
  EXPECT_TRUE(out.empty());
  ASSERT_EQ(r.alerts().size(), 1u);  // kept to send it resolved
  EXPECT_EQ(stateOf(r), AlertState::kInactive);
  EXPECT_EQ(r.alerts().begin()->second.resolved_at, 90000);
  EXPECT_TRUE(r.alerts().begin()->second.needsSending(90000, 60000));
}

TEST(AlertState, PendingAlertThatGoesAwayIsDropped) {
  RuleEval r(alertRule(60000));
  r.apply(down(0), 0, 0, {});
  r.apply({}, 10000, 0, {});
  EXPECT_TRUE(r.alerts().empty());
}

TEST(AlertState, KeepFiringFor) {
  RuleEval r(alertRule(0, 30000));
  r.apply(down(0), 0, 0, {});
  EXPECT_EQ(stateOf(r), AlertState::kFiring);
  auto out = r.apply({}, 10000, 0, {});
  EXPECT_EQ(stateOf(r), AlertState::kFiring);  // kept firing
  EXPECT_EQ(out.size(), 2u);
  r.apply({}, 39000, 0, {});
  EXPECT_EQ(stateOf(r), AlertState::kFiring);
  r.apply({}, 40000, 0, {});
  EXPECT_EQ(stateOf(r), AlertState::kInactive);
}

TEST(AlertState, LimitExceeded) {
  RuleEval r(alertRule(0));
  promql::Matrix two = down(0);
  two.push_back({promql::Labels{{"__name__", "up"}, {"instance", "b"}}, {{0, 0}}});
  EXPECT_THROW(r.apply(two, 0, 1, {}), std::runtime_error);
  EXPECT_TRUE(r.alerts().empty());
}

TEST(Recording, RenamesAndRelabels) {
  Rule rule;
  rule.record = "job:x:sum";
  rule.expr = "x";
  rule.labels = {{"team", "a"}};
  RuleEval r(rule);
  auto out = r.apply({{promql::Labels{{"job", "j"}}, {{5, 2.5}}}}, 5, 0, {});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels.toString(), "{__name__=\"job:x:sum\", job=\"j\", team=\"a\"}");
  EXPECT_EQ(out[0].value, 2.5);
  promql::Matrix two = {{promql::Labels{{"a", "1"}}, {{5, 1}}},
                        {promql::Labels{{"a", "2"}}, {{5, 1}}}};
  EXPECT_THROW(r.apply(two, 5, 1, {}), std::runtime_error);  // limit 1
}

TEST(GroupRunner, EvaluatesOverStorageAndMarksStale) {
  promql::MemoryStorage storage;
  storage.append(promql::Labels{{"__name__", "x"}, {"job", "a"}}, 1000, 3);
  storage.append(promql::Labels{{"__name__", "x"}, {"job", "b"}}, 1000, 4);
  Group g;
  g.name = "g";
  Rule rule;
  rule.record = "total";
  rule.expr = "sum(x)";
  g.rules.push_back(rule);
  GroupRunner runner(g, 1000);
  promql::Engine engine;
  auto out = runner.evaluate(storage, engine, 2000, {});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, 7);
  EXPECT_EQ(runner.status().rules[0].health, "ok");
  out = runner.evaluate(storage, engine, 1000000, {});  // beyond lookback: gone -> stale
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(promql::isStaleNaN(out[0].value));
}

}  // namespace
}  // namespace strata::ruler
