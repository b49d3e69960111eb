// A streamed response between the worker producing it and the event loop writing it: the
// worker hands chunks to the loop and waits while more than a high-water mark of them is
// still unwritten, so a slow client holds a bounded buffer, not the whole answer; the loop
// counts bytes off as it writes them and says when the connection is gone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace strata::http {

struct StreamGate {
  // Bytes handed to the loop and not written yet, above which a producer waits.
  static constexpr size_t kHighWater = 1 << 20;

  std::mutex mu;
  std::condition_variable cv;
  size_t unsent = 0;
  bool gone = false;  // the connection closed (client gone, timed out, server stopping)

  // Loop side: `n` streamed bytes reached the socket.
  void written(size_t n) {
    std::lock_guard lock(mu);
    unsent -= n < unsent ? n : unsent;
    cv.notify_all();
  }
  void close() {
    std::lock_guard lock(mu);
    gone = true;
    cv.notify_all();
  }
  // Producer side, before handing `n` bytes to the loop (so the loop never counts off bytes
  // that were not counted on). False when the connection is gone.
  bool add(size_t n) {
    std::lock_guard lock(mu);
    unsent += n;
    return !gone;
  }
  // Producer side: waits until the loop is at or below the high-water mark; false when the
  // connection is gone or the loop wrote nothing for `timeout` (the client stopped reading).
  bool waitBelowHighWater(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu);
    for (;;) {
      if (gone) return false;
      if (unsent <= kHighWater) return true;
      size_t before = unsent;
      if (!cv.wait_for(lock, timeout, [&] { return gone || unsent < before; })) return false;
    }
  }
};

}  // namespace strata::http
