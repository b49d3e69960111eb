// The single-threaded loop of conn-load: level-triggered epoll over non-blocking sockets plus
// one-shot timers in a min-heap. Time is CLOCK_MONOTONIC in microseconds, read once per wake-up
// (now()) so that every handler of one wake-up sees the same instant.
#pragma once

#include <cstdint>
#include <queue>
#include <vector>

namespace strata::connload {

class EventLoop {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // Readiness of the fd this handler watches (EPOLLIN, EPOLLOUT, EPOLLERR, ...).
    virtual void onIo(uint32_t /*events*/) {}
    // A timer this handler armed fired; `token` is the value at() returned. Timers are never
    // cancelled: a handler compares the token with the one it still waits for.
    virtual void onTimer(uint64_t /*token*/) {}
  };

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool ok() const { return epoll_fd_ >= 0; }
  int64_t now() const { return now_us_; }
  static int64_t monotonicMicros();

  // Starts or changes watching `fd` for `events` on behalf of `handler`.
  void watch(int fd, uint32_t events, Handler* handler);
  // Stops watching `fd` (call before closing it).
  void unwatch(int fd);

  // Arms a one-shot timer at `when_us` (monotonic); returns its token (never 0).
  uint64_t at(int64_t when_us, Handler* handler);
  uint64_t after(int64_t delay_us, Handler* handler) { return at(now_us_ + delay_us, handler); }

  // Waits for readiness or the next due timer, but at most until `deadline_us`, then dispatches
  // what is ready and every timer due by then. Returns false when epoll_wait failed (not EINTR).
  bool runOnce(int64_t deadline_us);

 private:
  struct Timer {
    int64_t when_us;
    uint64_t token;
    Handler* handler;
    bool operator>(const Timer& o) const {
      return when_us != o.when_us ? when_us > o.when_us : token > o.token;
    }
  };

  int epoll_fd_ = -1;
  int64_t now_us_ = 0;
  uint64_t next_token_ = 1;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
  std::vector<int> watched_;  // per fd: 1 when registered with epoll
};

}  // namespace strata::connload
