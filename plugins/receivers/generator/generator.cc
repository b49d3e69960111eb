#include "generator.h"

#include <chrono>
#include <string>

namespace strata::generator {
namespace {

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Generator::Generator(sdk::Host host, sdk::ConfigView config)
    : sdk::Component(host),
      source_(GeneratorConfig::parse(config)),
      emitted_(host.counter("strata_generator_samples_emitted_total",
                            "Samples the pipeline accepted from the generator.")),
      retried_(host.counter("strata_generator_samples_retried_total",
                            "Samples whose emit got RETRY; kept and sent again next tick.")),
      rejected_(host.counter("strata_generator_samples_rejected_total",
                             "Samples the pipeline refused for good (REJECT).")),
      dropped_(host.counter("strata_generator_samples_dropped_total",
                            "Samples dropped because the retry backlog was full.")) {}

Generator::~Generator() { halt(); }

void Generator::validate(const sdk::ConfigView& config, strata_diag_sink* sink) {
  try {
    GeneratorConfig::parse(config);
  } catch (const std::exception& e) {
    std::string msg = e.what();
    auto colon = msg.find(':');
    std::string path = colon == std::string::npos ? "" : msg.substr(0, colon);
    if (path.rfind("labels.", 0) == 0) path = "labels";
    sink->report(sink, path.c_str(), msg.c_str());
  }
}

strata_status Generator::tickOnce(int64_t now_ms) {
  size_t dropped = source_.tick(now_ms);
  if (dropped) {
    dropped_.add(static_cast<double>(dropped));
    host().warn("retry backlog full, dropped the oldest tick",
                {{"samples", std::to_string(dropped)}});
  }
  double n = static_cast<double>(source_.pendingSamples());
  strata_status st = host().emit(source_.buildBatch());
  switch (st) {
    case STRATA_OK:
      emitted_.add(n);
      source_.clearPending();
      break;
    case STRATA_REJECT:
      rejected_.add(n);
      source_.clearPending();
      host().warn("pipeline rejected generated samples", {{"samples", std::to_string(n)}});
      break;
    default:  // RETRY, FAILED: keep the ticks, send them again with the next one
      retried_.add(n);
      break;
  }
  return st;
}

strata_status Generator::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return STRATA_OK;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  return STRATA_OK;
}

void Generator::run() {
  auto interval = std::chrono::milliseconds(source_.config().interval_ms);
  auto next = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    tickOnce(nowMs());
    lock.lock();
    next += interval;
    // A slow pipeline must not make us burst to catch up: skip missed ticks.
    auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;
    cv_.wait_until(lock, next, [this] { return stopping_; });
  }
}

void Generator::halt() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

strata_status Generator::drain() {
  halt();
  return STRATA_OK;
}

void Generator::stop() { halt(); }

}  // namespace strata::generator
