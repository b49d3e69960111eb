#include "ruler.h"

#include <chrono>

#include "alert_json.h"
#include "core/promql/queryable_storage.h"
#include "rules_api.h"

namespace strata::ruler {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string queryParam(std::string_view q, std::string_view name) {
  size_t i = 0;
  while (i < q.size()) {
    size_t amp = q.find('&', i);
    std::string_view kv = q.substr(i, amp == std::string_view::npos ? q.size() - i : amp - i);
    if (kv.substr(0, kv.find('=')) == name && kv.find('=') != std::string_view::npos)
      return std::string(kv.substr(kv.find('=') + 1));
    if (amp == std::string_view::npos) break;
    i = amp + 1;
  }
  return "";
}

}  // namespace

void Ruler::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  for (const auto& [path, msg] : checkOptions(config))
    sink->report(sink, path.c_str(), msg.c_str());
}

Ruler::Ruler(sdk::Host host, sdk::ConfigView config)
    : Component(host), opts_(parseOptions(config)) {
  ParseResult rules = loadRuleFiles(opts_.rule_files);
  if (!rules.errors.empty()) throw std::invalid_argument(rules.errors.front());
  for (const std::string& w : rules.warnings) this->host().warn(w);
  env_.external_labels = opts_.external_labels;
  env_.external_url = opts_.external_url;
  for (Group& g : rules.groups)
    groups_.push_back(std::make_unique<GroupRunner>(std::move(g), opts_.evaluation_interval_ms));
  const sdk::Host& h = this->host();
  evaluations_ = h.counter("strata_ruler_evaluations_total", "Rule group evaluations.");
  failures_ = h.counter("strata_ruler_evaluation_failures_total", "Rule evaluations that failed.");
  missed_ = h.counter("strata_ruler_iterations_missed_total",
                      "Group evaluations missed because the previous one took too long.");
  emitted_ = h.counter("strata_ruler_samples_emitted_total", "Samples written by rules.");
  notifications_ = h.counter("strata_ruler_notifications_sent_total", "Alert batches sent.");
  notify_errors_ = h.counter("strata_ruler_notification_errors_total", "Failed alert sends.");
  dropped_ = h.counter("strata_ruler_notifications_dropped_total", "Alert batches dropped.");
}

Ruler::~Ruler() { stop(); }

strata_status Ruler::start() {
  source_ = host().queryable(opts_.sources.at(0));
  if (!source_) {
    host().setError("source " + opts_.sources.at(0) + " provides no Queryable");
    return STRATA_FAILED;
  }
  if (!opts_.listen_address.empty()) {
    for (const char* prefix : {"/api/v1/rules", "/api/v1/alerts"}) {
      strata_status st = host().route(
          opts_.listen_address, prefix, 0,
          [](void* self, const strata_http_request* rq, strata_http_response* rs) {
            static_cast<Ruler*>(self)->serve(rq, rs);
          },
          this);
      if (st != STRATA_OK) return st;
    }
  }
  for (const AlertmanagerTarget& t : opts_.alertmanagers) {
    NotifierStats stats;
    stats.sent = [this](const std::string&, bool ok) {
      (ok ? notifications_ : notify_errors_).add();
    };
    stats.dropped = [this](size_t n) { dropped_.add(static_cast<double>(n)); };
    stats.log_error = [this](const std::string& msg, const std::string& am) {
      host().warn(msg, {{"alertmanager", am}});
    };
    notifiers_.push_back(std::make_unique<Notifier>(
        std::vector<AlertmanagerTarget>{t}, static_cast<int>(opts_.send_retries),
        static_cast<size_t>(opts_.notification_queue_capacity), std::move(stats)));
  }
  for (auto& g : groups_) threads_.emplace_back([this, gp = g.get()] { runGroup(*gp); });
  return STRATA_OK;
}

void Ruler::runGroup(GroupRunner& g) {
  promql::EngineOptions eo;
  eo.lookback_delta_ms = opts_.lookback_delta_ms;
  eo.timeout_ms = opts_.query_timeout_ms;
  eo.default_subquery_step_ms = g.interval();
  promql::Engine engine(eo);
  const int64_t interval = g.interval();
  int64_t next = g.alignedTimestamp(nowMs()) + interval;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto deadline = std::chrono::system_clock::time_point(std::chrono::milliseconds(next));
      if (cv_.wait_until(lock, deadline, [&] { return stopping_; })) return;
    }
    int64_t missed = (nowMs() - next) / interval;
    if (missed > 0) {
      missed_.add(static_cast<double>(missed));
      host().warn("rule group missed evaluations",
                  {{"group", g.group().name}, {"missed", std::to_string(missed)}});
    }
    int64_t ts = next + missed * interval;
    promql::QueryableStorage storage(*source_, opts_.tenant, [this] { return std::string(); });
    std::vector<OutSample> out = g.evaluate(storage, engine, ts, env_);
    evaluations_.add();
    for (const RuleStatus& r : g.status().rules) {
      if (r.health == "err" && r.last_eval_ms == ts) {
        failures_.add();
        host().warn("evaluating rule failed",
                    {{"group", g.group().name}, {"rule", r.rule.name()}, {"err", r.last_error}});
      }
    }
    emit(out, ts);
    notify(g, ts);
    next = ts + interval;
  }
}

void Ruler::emit(const std::vector<OutSample>& samples, int64_t ts) {
  if (samples.empty()) return;
  for (int attempt = 0; attempt < 5; ++attempt) {
    sdk::BatchBuilder b(opts_.tenant);
    for (const OutSample& s : samples) {
      std::vector<std::pair<std::string, std::string>> labels;
      for (const promql::Label& l : s.labels) labels.emplace_back(l.name, l.value);
      b.beginSeries(std::move(labels));
      b.addSample(ts, s.value);
    }
    strata_status st = host().emit(b.finish(0));
    if (st == STRATA_OK) {
      emitted_.add(static_cast<double>(samples.size()));
      return;
    }
    if (st != STRATA_RETRY) break;
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(200 << attempt), [&] { return stopping_; }))
      return;
  }
  host().warn("rule results not written",
              {{"samples", std::to_string(samples.size())}, {"err", host().emitError()}});
}

void Ruler::notify(GroupRunner& g, int64_t ts) {
  if (notifiers_.empty()) return;
  std::vector<Alert> alerts = g.alertsToSend(ts, opts_.resend_delay_ms);
  if (alerts.empty()) return;
  std::string payload = alertmanagerPayload(alerts, opts_.external_labels, opts_.external_url);
  for (auto& n : notifiers_) n->enqueue(payload);
}

std::vector<GroupStatus> Ruler::snapshot() const {
  std::vector<GroupStatus> out;
  for (const auto& g : groups_) out.push_back(g->status());
  return out;
}

void Ruler::serve(const strata_http_request* rq, strata_http_response* rs) {
  auto send = [&](int status, const std::string& body) {
    static const char kJson[] = "application/json";
    rs->send(rs, status, {kJson, sizeof kJson - 1}, body.data(), body.size());
  };
  if (draining_) {
    send(503, R"({"status":"error","errorType":"unavailable","error":"ruler is stopping"})");
    return;
  }
  std::string_view path = sdk::view(rq->path);
  if (path == "/api/v1/rules")
    send(200, rulesJson(snapshot(), queryParam(sdk::view(rq->query), "type")));
  else if (path == "/api/v1/alerts")
    send(200, alertsJson(snapshot()));
  else
    send(404, R"({"status":"error","errorType":"not_found","error":"not found"})");
}

void Ruler::stopThreads() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

strata_status Ruler::drain() {
  draining_ = true;
  stopThreads();
  return STRATA_OK;
}

void Ruler::stop() {
  draining_ = true;
  stopThreads();
  for (auto& n : notifiers_) n->stop();
}

}  // namespace strata::ruler
