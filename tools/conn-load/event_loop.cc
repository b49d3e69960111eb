#include "event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace strata::connload {

EventLoop::EventLoop() : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)), now_us_(monotonicMicros()) {}

EventLoop::~EventLoop() {
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
}

int64_t EventLoop::monotonicMicros() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

void EventLoop::watch(int fd, uint32_t events, Handler* handler) {
  if (fd < 0) return;
  if (static_cast<size_t>(fd) >= watched_.size()) watched_.resize(fd + 1, 0);
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  epoll_ctl(epoll_fd_, watched_[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
  watched_[fd] = 1;
}

void EventLoop::unwatch(int fd) {
  if (fd < 0 || static_cast<size_t>(fd) >= watched_.size() || !watched_[fd]) return;
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  watched_[fd] = 0;
}

uint64_t EventLoop::at(int64_t when_us, Handler* handler) {
  uint64_t token = next_token_++;
  timers_.push(Timer{when_us, token, handler});
  return token;
}

bool EventLoop::runOnce(int64_t deadline_us) {
  now_us_ = monotonicMicros();
  int64_t wake = deadline_us;
  if (!timers_.empty() && timers_.top().when_us < wake) wake = timers_.top().when_us;
  // Round up so that a timer is never woken for early and spun on.
  int timeout_ms = wake <= now_us_ ? 0 : static_cast<int>((wake - now_us_ + 999) / 1000);
  epoll_event events[512];
  int n = epoll_wait(epoll_fd_, events, 512, timeout_ms);
  if (n < 0 && errno != EINTR) return false;
  now_us_ = monotonicMicros();
  for (int i = 0; i < n; ++i) static_cast<Handler*>(events[i].data.ptr)->onIo(events[i].events);
  now_us_ = monotonicMicros();
  // Timers armed by the handlers below for "now" run in this same pass.
  while (!timers_.empty() && timers_.top().when_us <= now_us_) {
    Timer t = timers_.top();
    timers_.pop();
    t.handler->onTimer(t.token);
  }
  return true;
}

}  // namespace strata::connload
