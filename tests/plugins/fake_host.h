// A stand-in for the host's function table, so plugin logic runs in a plain test binary.
// It records emits (as sample lines), logs, metrics and routes, and lets a test choose what
// emit returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace strata::testing {

struct EmittedBatch {
  std::string tenant;
  uint32_t flags;
  size_t series, samples;
  std::string lines;  // prompb::appendBatchLines of the batch
  std::vector<sdk::MetricMetadata> metadata;
};

struct Route {
  std::string listen, prefix;
  size_t max_body;
  strata_http_handler handler;
  void* user;
};

class FakeHost {
 public:
  FakeHost();
  sdk::Host host() { return sdk::Host(&api_, reinterpret_cast<strata_host_ctx*>(this)); }

  // What emit returns, and what emit_error says after it; the batch is recorded (and
  // released) whatever it returns.
  void setEmitStatus(strata_status s, std::string emit_error = "");
  // Called with every emitted batch before emit returns, outside the host's lock (a test can
  // block here to play a slow downstream). Empty: none.
  void setEmitHook(std::function<void(const EmittedBatch&)> hook);
  std::vector<EmittedBatch> emitted();
  // Waits (bounded) until at least n batches were emitted.
  bool waitForEmits(size_t n, std::chrono::milliseconds deadline);

  // Value of the metric `name` with label pairs rendered as k=v,k=v ("" for none).
  double metric(const std::string& name, const std::string& labels = "");
  std::vector<std::string> logs();
  std::string lastError();
  std::vector<Route> routes();

 private:
  struct Metric {
    FakeHost* owner;
    double value = 0;
  };
  static FakeHost* self(strata_host_ctx* c) { return reinterpret_cast<FakeHost*>(c); }

  strata_host_api api_{};
  std::mutex mu_;
  std::condition_variable cv_;
  strata_status emit_status_ = STRATA_OK;
  std::string emit_error_;
  std::function<void(const EmittedBatch&)> emit_hook_;
  std::vector<EmittedBatch> emitted_;
  std::map<std::string, Metric> metrics_;
  std::vector<std::string> logs_;
  std::string last_error_;
  std::vector<Route> routes_;
};

}  // namespace strata::testing
