#include "core/http/worker_pool.h"

#include <pthread.h>

#include <algorithm>

namespace strata::http {

WorkerPool::WorkerPool(std::string name, size_t threads, size_t max_in_flight)
    : max_in_flight_(std::max(max_in_flight, threads)) {
  if (threads == 0) threads = 1;
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { run(); });
    // Linux thread names are at most 15 characters: "http-write" fits.
    pthread_setname_np(threads_.back().native_handle(), name.substr(0, 15).c_str());
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkerPool::trySubmit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (running_ + queue_.size() >= max_in_flight_) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

size_t WorkerPool::inFlight() const {
  std::lock_guard lock(mu_);
  return running_ + queue_.size();
}

void WorkerPool::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to run
    auto task = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    task();
    task = nullptr;  // destroy what it captured outside the lock
    lock.lock();
    --running_;
  }
}

}  // namespace strata::http
