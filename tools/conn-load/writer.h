// One writer: one keep-alive connection to the write URL and, every interval, one remote write
// request that is retried until it is acknowledged (2xx) or rejected (another non-5xx, non-429
// status). At most one request is in flight; its deadline, the 500 ms retry pause, the connect
// backoff and the interval ticks are timers of the loop.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ack_log.h"
#include "connect_pacer.h"
#include "endpoint.h"
#include "event_loop.h"
#include "http_connection.h"
#include "options.h"
#include "stats.h"

namespace strata::connload {

// What all writers share.
struct WriterContext {
  const Options& options;
  const Endpoint& endpoint;
  EventLoop& loop;
  ConnectPacer& pacer;
  AckLog& ack_log;
  WriteStats& stats;
  const Timeline& timeline;
  int64_t epoch_us;  // loop time the phases are counted from
};

class Writer : public EventLoop::Handler, private HttpConnection::Listener {
 public:
  Writer(const WriterContext& context, int64_t index);
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues the first connect and arms the first tick (at epoch + index * interval / N).
  void start();
  void onTimer(uint64_t token) override;

 private:
  struct Pending {
    std::string http;  // the whole request, resent as is
    int64_t timestamp_ms;
    double value;
    int attempts = 0;
  };

  void onConnected() override;
  void onResponse(const ResponseParser& response) override;
  void onDisconnected(bool established, bool in_flight, int err, const std::string& why) override;

  void tick();
  void issue();
  void trySend();
  void requestConnect();
  void beginConnect();
  void connectFailed(const std::string& why);
  // The established connection is gone (already closed): open a new one if there is a reason.
  void lostConnection();

  const WriterContext& ctx_;
  const int64_t index_;
  HttpConnection conn_;
  std::optional<Pending> pending_;
  int64_t attempt_sent_us_ = 0;
  bool waiting_retry_ = false;
  bool connect_queued_ = false;
  bool counted_open_ = false;
  bool ever_connected_ = false;
  int64_t backoff_us_ = 0;
  int64_t next_tick_us_ = 0;
  uint64_t counter_ = 0;
  int64_t last_timestamp_ms_ = 0;
  // Tokens of the armed timers; 0 when not armed.
  uint64_t tick_timer_ = 0, deadline_timer_ = 0, retry_timer_ = 0, backoff_timer_ = 0;
};

}  // namespace strata::connload
