// Acknowledge-on-delivery: a receiver that sets STRATA_BATCH_ACK_ON_DELIVERY gets its
// emit_metrics() answer only once every sink on every path has consumed the batch (or the
// batches a processor made of it), not merely queued it.
//
// Processors run inline on the emitting thread, so the pending Delivery travels in a
// thread-local from the receiver's emit down to the EdgeQueues, which attach it to what they
// enqueue and resolve it after the sink's consume returns.
#pragma once

#include <strata/plugin_abi.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

namespace strata::graph {

class Delivery {
 public:
  void expect();  // one more sink will answer
  // `error`: why, when the status is not OK (the sink's set_error text), else empty.
  void done(strata_status status, std::string error = {});
  // Waits until every expected sink answered; RETRY when the deadline passes first.
  strata_status wait(std::chrono::steady_clock::time_point deadline);
  // The text that came with the worst status (the first one given for it).
  std::string error();

  // The delivery of the batch being emitted on this thread, or null.
  static std::shared_ptr<Delivery> current();
  // Sets current() for its lifetime.
  class Scope {
   public:
    explicit Scope(std::shared_ptr<Delivery> d);
    ~Scope();

   private:
    std::shared_ptr<Delivery> previous_;
  };

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_ = 0;
  strata_status status_ = STRATA_OK;
  std::string error_;
};

// The last set_error text a component gave on this thread ("<component id>: <text>"), so that
// whoever called it on this thread can pass the reason upstream with the status: an EdgeQueue
// worker into the Delivery, an emitting instance to its receiver (emit_error).
void noteThreadError(std::string message);
const std::string& threadError();
void clearThreadError();

}  // namespace strata::graph
