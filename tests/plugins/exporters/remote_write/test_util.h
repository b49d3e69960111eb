// Shared helpers of the exporter tests: temporary queue directories, batches, bounded waits.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <strata/sdk.hpp>
#include <string>
#include <thread>

#include "exporter_config.h"

namespace strata::rwexporter::testing {

// A fresh directory under the test temp dir, named after the running test.
inline std::string freshDir(const std::string& tag = "") {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::path(::testing::TempDir()) /
             ("rwout_" + std::string(info->test_suite_name()) + "_" + info->name() + tag);
  std::filesystem::remove_all(dir);
  return dir.string();
}

// Polls `cond` until true or the deadline passes (a bounded wait, not a sleep).
template <typename F>
bool eventually(F cond, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// `series` series named m{s="i"}, `per` samples each at ts0, ts0+1, ... with value = ts.
inline strata_metrics_batch* makeBatch(int series, int per, int64_t ts0) {
  sdk::BatchBuilder b;
  for (int i = 0; i < series; ++i) {
    b.beginSeries({{"__name__", "m"}, {"s", std::to_string(i)}});
    for (int k = 0; k < per; ++k) b.addSample(ts0 + k, static_cast<double>(ts0 + k));
  }
  return b.finish();
}

inline ExporterConfig testConfig(const std::string& url, const std::string& dir) {
  ExporterConfig c;
  c.url = url;
  c.remote_timeout = Millis(5000);
  c.queue.directory = dir;
  c.queue_config.batch_send_deadline = Millis(0);
  c.queue_config.min_backoff = Millis(2);
  c.queue_config.max_backoff = Millis(20);
  return c;
}

// A loopback URL nobody listens on (connection refused).
std::string deadUrl();

}  // namespace strata::rwexporter::testing
