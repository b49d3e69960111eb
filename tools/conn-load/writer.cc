#include "writer.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "log.h"
#include "write_request.h"

namespace strata::connload {
namespace {

constexpr int64_t kRetryPauseUs = 500'000;
constexpr int64_t kFirstBackoffUs = 100'000;
constexpr int64_t kMaxBackoffUs = 2'000'000;

int64_t wallClockMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Writer::Writer(const WriterContext& context, int64_t index)
    : ctx_(context), index_(index), conn_(context.loop, context.endpoint, *this) {}

void Writer::start() {
  int64_t interval_us = ctx_.options.interval_ms * 1000;
  next_tick_us_ = ctx_.epoch_us + interval_us * index_ / ctx_.options.connections;
  tick_timer_ = ctx_.loop.at(next_tick_us_, this);
  requestConnect();
}

void Writer::onTimer(uint64_t token) {
  if (token == tick_timer_) {
    tick_timer_ = 0;
    tick();
  } else if (token == deadline_timer_) {
    deadline_timer_ = 0;
    if (conn_.state() == HttpConnection::State::kConnecting) {
      conn_.close();
      connectFailed("connect: no answer within --timeout-ms");
    } else if (conn_.inFlight()) {
      ++ctx_.stats.timeouts;
      logLimited("write timeout", "writer " + std::to_string(index_) +
                                      ": no response within --timeout-ms; reconnecting");
      conn_.close();
      lostConnection();
    }
  } else if (token == retry_timer_) {
    retry_timer_ = 0;
    waiting_retry_ = false;
    trySend();
  } else if (token == backoff_timer_) {
    backoff_timer_ = 0;
    requestConnect();
  }
}

void Writer::tick() {
  if (ctx_.timeline.stopping) return;
  int64_t interval_us = ctx_.options.interval_ms * 1000;
  next_tick_us_ += interval_us;
  // A loop that fell behind skips the ticks it missed rather than bunching them.
  int64_t now = ctx_.loop.now();
  if (next_tick_us_ <= now) next_tick_us_ += (now - next_tick_us_) / interval_us * interval_us;
  if (next_tick_us_ <= now) next_tick_us_ += interval_us;
  tick_timer_ = ctx_.loop.at(next_tick_us_, this);
  issue();
}

void Writer::issue() {
  if (!ever_connected_) return;  // still in the ramp
  if (pending_) {
    ++ctx_.stats.ticks_skipped;
    return;
  }
  int64_t ts = std::max(wallClockMillis(), last_timestamp_ms_ + 1);
  last_timestamp_ms_ = ts;
  double value = static_cast<double>(counter_++);
  std::string protobuf =
      encodeWriteRequest(ctx_.options.metric, index_, ctx_.options.series_per_write, ts, value);
  pending_ = Pending{buildWriteHttpRequest(ctx_.endpoint, protobuf), ts, value};
  ++ctx_.stats.writes_sent;
  ++ctx_.stats.outstanding;
  trySend();
}

void Writer::trySend() {
  if (!pending_ || waiting_retry_) return;
  if (conn_.state() == HttpConnection::State::kClosed) {
    requestConnect();
    return;
  }
  if (!conn_.idle()) return;  // connecting: onConnected() sends
  if (pending_->attempts++ > 0) ++ctx_.stats.retried;
  attempt_sent_us_ = ctx_.loop.now();
  deadline_timer_ = ctx_.loop.after(ctx_.options.timeout_ms * 1000, this);
  conn_.send(pending_->http);
}

void Writer::requestConnect() {
  if (connect_queued_ || backoff_timer_ != 0 || conn_.state() != HttpConnection::State::kClosed)
    return;
  connect_queued_ = true;
  ctx_.pacer.request([this] { beginConnect(); });
}

void Writer::beginConnect() {
  connect_queued_ = false;
  if (ctx_.timeline.stopping && !pending_) return;
  if (!conn_.connect()) {
    connectFailed(std::string("socket/connect: ") + std::strerror(conn_.lastError()));
    return;
  }
  deadline_timer_ = ctx_.loop.after(ctx_.options.timeout_ms * 1000, this);
}

void Writer::connectFailed(const std::string& why) {
  deadline_timer_ = 0;
  ++ctx_.stats.connect_errors;
  logLimited("connect error", "writer " + std::to_string(index_) + ": " + why);
  backoff_us_ = backoff_us_ == 0 ? kFirstBackoffUs : std::min(backoff_us_ * 2, kMaxBackoffUs);
  backoff_timer_ = ctx_.loop.after(backoff_us_, this);
}

void Writer::lostConnection() {
  deadline_timer_ = 0;
  if (counted_open_) {
    counted_open_ = false;
    --ctx_.stats.connected_now;
  }
  if (ctx_.timeline.stopping && !pending_) return;
  ++ctx_.stats.reconnects;
  requestConnect();
}

void Writer::onConnected() {
  deadline_timer_ = 0;
  backoff_us_ = 0;
  counted_open_ = true;
  ++ctx_.stats.connected_now;
  if (!ever_connected_) {
    ever_connected_ = true;
    ++ctx_.stats.ever_connected;
  }
  trySend();
}

void Writer::onResponse(const ResponseParser& response) {
  deadline_timer_ = 0;
  int status = response.status();
  ++ctx_.stats.status_counts[status];
  if (pending_) {
    if (status >= 200 && status < 300) {
      ++ctx_.stats.writes_acked;
      ctx_.stats.samples_acked += ctx_.options.series_per_write;
      --ctx_.stats.outstanding;
      if (ctx_.timeline.inWindow(attempt_sent_us_))
        ctx_.stats.latency_us.push_back(ctx_.loop.now() - attempt_sent_us_);
      ctx_.ack_log.addWrite(ctx_.options.metric, index_, ctx_.options.series_per_write,
                            pending_->timestamp_ms, pending_->value);
      pending_.reset();
    } else if (status == 429 || status >= 500) {
      waiting_retry_ = true;
      retry_timer_ = ctx_.loop.after(kRetryPauseUs, this);
    } else {
      ++ctx_.stats.rejected;
      --ctx_.stats.outstanding;
      logLimited("rejected", "writer " + std::to_string(index_) + ": HTTP " +
                                 std::to_string(status) + ": " + response.bodyStart());
      pending_.reset();
    }
  }
  if (conn_.state() == HttpConnection::State::kClosed) lostConnection();
}

void Writer::onDisconnected(bool established, bool in_flight, int /*err*/, const std::string& why) {
  if (!established) {
    connectFailed(why);
    return;
  }
  // An unanswered request is resent on the next connection (trySend() from onConnected()).
  if (in_flight)
    logLimited("connection lost", "writer " + std::to_string(index_) + ": " + why +
                                      " with a request in flight; resending");
  lostConnection();
}

}  // namespace strata::connload
