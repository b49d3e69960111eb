#include "core/host/memory_trimmer.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace strata::host {

MemoryTrimmer::MemoryTrimmer(std::chrono::milliseconds interval)
    : interval_(interval), thread_([this] { run(); }) {}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void MemoryTrimmer::run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
#if defined(__GLIBC__)
    lock.unlock();
    malloc_trim(0);
    lock.lock();
#endif
  }
}

}  // namespace strata::host
