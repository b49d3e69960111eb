#include "probe.h"

#include <cstring>

#include "log.h"

namespace strata::connload {

Probe::Probe(EventLoop& loop, const Endpoint& endpoint, ProbeStats& stats, const Timeline& timeline,
             int64_t interval_ms, int64_t timeout_ms)
    : loop_(loop),
      endpoint_(endpoint),
      stats_(stats),
      timeline_(timeline),
      interval_us_(interval_ms * 1000),
      timeout_us_(timeout_ms * 1000),
      conn_(loop, endpoint, *this) {
  request_ = "GET " + endpoint.target + " HTTP/1.1\r\nHost: " + endpoint.host +
             "\r\nUser-Agent: strata-conn-load/0.1\r\nAccept: */*\r\n\r\n";
}

void Probe::start(int64_t first_us) {
  next_tick_us_ = first_us;
  tick_timer_ = loop_.at(next_tick_us_, this);
}

void Probe::onTimer(uint64_t token) {
  if (token == deadline_timer_) {
    deadline_timer_ = 0;
    if (!active_) return;
    active_ = false;
    ++stats_.timeouts;
    if (timeline_.inWindow(started_us_)) stats_.latency_us.push_back(timeout_us_);
    logLimited("probe timeout", endpoint_.url + ": no response within --timeout-ms");
    conn_.close();
    return;
  }
  if (token != tick_timer_) return;
  tick_timer_ = 0;
  if (timeline_.stopping) return;
  int64_t now = loop_.now();
  next_tick_us_ += interval_us_;
  if (next_tick_us_ <= now) next_tick_us_ += (now - next_tick_us_) / interval_us_ * interval_us_;
  if (next_tick_us_ <= now) next_tick_us_ += interval_us_;
  tick_timer_ = loop_.at(next_tick_us_, this);
  if (active_) {
    ++stats_.skipped;
    return;
  }
  active_ = true;
  resent_ = false;
  ++stats_.count;
  started_us_ = now;
  deadline_timer_ = loop_.after(timeout_us_, this);
  go();
}

void Probe::go() {
  switch (conn_.state()) {
    case HttpConnection::State::kOpen:
      conn_.send(request_);
      break;
    case HttpConnection::State::kClosed:
      if (!conn_.connect())
        failed(std::string("socket/connect: ") + std::strerror(conn_.lastError()));
      break;
    case HttpConnection::State::kConnecting:
      break;  // onConnected() sends
  }
}

void Probe::failed(const std::string& why) {
  active_ = false;
  deadline_timer_ = 0;
  ++stats_.errors;
  logLimited("probe error", endpoint_.url + ": " + why);
}

void Probe::abandon() {
  if (!active_) return;
  active_ = false;
  ++stats_.timeouts;
  conn_.close();
}

void Probe::onConnected() {
  if (active_) conn_.send(request_);
}

void Probe::onResponse(const ResponseParser& response) {
  if (!active_) return;
  active_ = false;
  deadline_timer_ = 0;
  int status = response.status();
  ++stats_.status_counts[status];
  if (status < 200 || status >= 300) {
    ++stats_.not_2xx;
    logLimited("probe status",
               endpoint_.url + ": HTTP " + std::to_string(status) + ": " + response.bodyStart());
  }
  if (timeline_.inWindow(started_us_)) stats_.latency_us.push_back(loop_.now() - started_us_);
}

void Probe::onDisconnected(bool established, bool in_flight, int /*err*/, const std::string& why) {
  if (!active_) return;  // an idle connection closed: the next tick reopens it
  // A kept-alive connection the server closed just as the probe went out: like HTTP clients
  // do, try once more on a fresh connection before calling it an error.
  if (established && in_flight && conn_.answered() > 0 && !conn_.responseStarted() && !resent_) {
    resent_ = true;
    go();
    return;
  }
  failed(why);
}

}  // namespace strata::connload
