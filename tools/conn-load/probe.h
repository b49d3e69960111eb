// One --probe-url: every probe interval a GET on a dedicated keep-alive connection, timed from
// the tick to the full response. The connection is opened when a tick finds it closed (first
// tick, or after the server closed it), so that time counts in that probe's latency.
#pragma once

#include <cstdint>
#include <string>

#include "endpoint.h"
#include "event_loop.h"
#include "http_connection.h"
#include "stats.h"

namespace strata::connload {

class Probe : public EventLoop::Handler, private HttpConnection::Listener {
 public:
  Probe(EventLoop& loop, const Endpoint& endpoint, ProbeStats& stats, const Timeline& timeline,
        int64_t interval_ms, int64_t timeout_ms);
  Probe(const Probe&) = delete;
  Probe& operator=(const Probe&) = delete;

  // Arms the first tick at `first_us` (loop time).
  void start(int64_t first_us);
  // A probe was started and has neither been answered nor failed nor timed out.
  bool active() const { return active_; }
  // Ends a probe still active at the end of the run: counted as a timeout.
  void abandon();
  void onTimer(uint64_t token) override;

 private:
  void onConnected() override;
  void onResponse(const ResponseParser& response) override;
  void onDisconnected(bool established, bool in_flight, int err, const std::string& why) override;

  void go();
  void failed(const std::string& why);

  EventLoop& loop_;
  const Endpoint& endpoint_;
  ProbeStats& stats_;
  const Timeline& timeline_;
  const int64_t interval_us_;
  const int64_t timeout_us_;
  HttpConnection conn_;
  std::string request_;
  bool active_ = false;
  bool resent_ = false;  // this probe already moved once to a fresh connection
  int64_t started_us_ = 0;
  int64_t next_tick_us_ = 0;
  uint64_t tick_timer_ = 0, deadline_timer_ = 0;
};

}  // namespace strata::connload
