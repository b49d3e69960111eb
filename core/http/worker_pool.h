// A fixed set of threads running handlers of one route class, with a bound on how many
// requests may be running or waiting. The event loop never blocks on it: a request over the
// bound is refused at once (the caller answers 503), so the loop keeps serving everything else.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace strata::http {

class WorkerPool {
 public:
  WorkerPool(std::string name, size_t threads, size_t max_in_flight);
  ~WorkerPool();  // runs what is queued, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (and `task` is not kept) when max_in_flight tasks are already running or queued.
  bool trySubmit(std::function<void()> task);
  size_t inFlight() const;

 private:
  void run();

  const size_t max_in_flight_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace strata::http
