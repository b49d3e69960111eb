#include "run.h"

#include <algorithm>
#include <csignal>
#include <cstdio>

#include "log.h"

namespace strata::connload {
namespace {

volatile std::sig_atomic_t g_stop_signals = 0;

void onStopSignal(int) { g_stop_signals = g_stop_signals + 1; }

constexpr int64_t kDrainUs = 10'000'000;
constexpr int64_t kMaxWaitUs = 50'000;  // the phases are checked at least this often
constexpr int64_t kProgressUs = 5'000'000;

}  // namespace

void installStopSignals() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

Run::Run(const Options& options, const Endpoint& write, const std::vector<Endpoint>& probes,
         AckLog& ack_log)
    : options_(options),
      ack_log_(ack_log),
      pacer_(loop_, options.connect_rate),
      context_{options, write, loop_, pacer_, ack_log, result_.writes, timeline_, loop_.now()},
      epoch_us_(loop_.now()) {
  // Probes and writers keep references into result_.probes: sized once, here.
  result_.probes.resize(probes.size());
  for (size_t i = 0; i < probes.size(); ++i) {
    result_.probes[i].url = probes[i].url;
    probes_.push_back(std::make_unique<Probe>(loop_, probes[i], result_.probes[i], timeline_,
                                              options.probe_interval_ms, options.timeout_ms));
  }
  for (int64_t w = 0; w < options.connections; ++w)
    writers_.push_back(std::make_unique<Writer>(context_, w));
}

void Run::progress(const char* what) {
  const WriteStats& s = result_.writes;
  char line[256];
  std::snprintf(
      line, sizeof line,
      "%s: t=%.1fs connected=%lld/%lld sent=%llu acked=%llu outstanding=%lld "
      "timeouts=%llu reconnects=%llu connect_errors=%llu",
      what, (loop_.now() - epoch_us_) / 1e6, static_cast<long long>(s.connected_now),
      static_cast<long long>(options_.connections), static_cast<unsigned long long>(s.writes_sent),
      static_cast<unsigned long long>(s.writes_acked), static_cast<long long>(s.outstanding),
      static_cast<unsigned long long>(s.timeouts), static_cast<unsigned long long>(s.reconnects),
      static_cast<unsigned long long>(s.connect_errors));
  logLine(line);
}

void Run::openWindow(int64_t now) {
  timeline_.window_start_us = now;
  timeline_.window_end_us = now + options_.duration_s * 1'000'000;
  result_.connected_at_start = result_.writes.connected_now;
  phase_ = Phase::kMeasure;
  progress("measuring");
}

void Run::closeWindow(int64_t now) {
  timeline_.window_end_us = now;
  timeline_.stopping = true;
  result_.connected_at_end = result_.writes.connected_now;
  result_.measured_s = (now - timeline_.window_start_us) / 1e6;
  phase_ = Phase::kDrain;
  progress("window closed, draining");
}

bool Run::execute() {
  epoch_us_ = loop_.now();
  context_.epoch_us = epoch_us_;
  for (auto& p : probes_) p->start(epoch_us_);
  for (auto& w : writers_) w->start();
  const int64_t ramp_deadline = epoch_us_ +
                                options_.connections * 1'000'000 / options_.connect_rate +
                                options_.timeout_ms * 1000;
  int64_t warmup_end = 0, drain_deadline = 0, next_progress = epoch_us_ + kProgressUs;
  for (;;) {
    int64_t now = loop_.now();
    if (!loop_.runOnce(std::min(now + kMaxWaitUs, next_progress))) {
      logLine("epoll_wait failed");
      return false;
    }
    ack_log_.flush();
    now = loop_.now();
    bool stop = g_stop_signals > 0;
    if (now >= next_progress) {
      progress("progress");
      next_progress = now + kProgressUs;
    }
    if (phase_ == Phase::kRamp) {
      bool all = result_.writes.ever_connected == options_.connections;
      if (all || stop || now >= ramp_deadline) {
        if (!all)
          logLine("ramp ended with " + std::to_string(result_.writes.ever_connected) + " of " +
                  std::to_string(options_.connections) + " writers ever connected");
        progress("ramp done");
        warmup_end = stop ? now : now + options_.warmup_s * 1'000'000;
        phase_ = Phase::kWarmup;
      }
    }
    if (phase_ == Phase::kWarmup && (now >= warmup_end || stop)) openWindow(now);
    if (phase_ == Phase::kMeasure && (now >= timeline_.window_end_us || stop)) {
      closeWindow(std::min(now, timeline_.window_end_us));
      drain_deadline = now + kDrainUs;
    }
    if (phase_ == Phase::kDrain) {
      bool probing =
          std::any_of(probes_.begin(), probes_.end(), [](const auto& p) { return p->active(); });
      if ((result_.writes.outstanding == 0 && !probing) || now >= drain_deadline ||
          g_stop_signals > 1) {
        for (auto& p : probes_) p->abandon();
        progress("done");
        return true;
      }
    }
  }
}

}  // namespace strata::connload
