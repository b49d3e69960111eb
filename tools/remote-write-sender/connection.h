// One sender connection: a reused libcurl easy handle (keep-alive) and the series it owns.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

#include "sender_options.h"

namespace strata::rwsender {

struct Totals {
  std::atomic<uint64_t> sent{0}, acked{0}, retried{0}, rejected{0}, connect_errors{0}, gave_up{0};
};

// Acknowledged samples, appended whole-request at a time and flushed, so the file holds
// exactly what a receiver answered 2xx for even if the tool is killed.
class AckLog {
 public:
  explicit AckLog(const std::string& path);
  ~AckLog();
  bool ok() const { return path_.empty() || file_; }
  void append(const std::string& lines);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::mutex mu_;
};

class Connection {
 public:
  Connection(const SenderOptions& options, int64_t index, Totals& totals, AckLog& log);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends requests until `end`; every request is retried until acknowledged, refused (4xx)
  // or retry_timeout_s passed.
  void run(std::chrono::steady_clock::time_point end);

 private:
  enum class Outcome { kAcked, kRejected, kGaveUp };
  strata_metrics_batch* nextBatch();
  Outcome deliver(const std::string& body);
  // One HTTP attempt: the status (0 when there was no response) and the curl result.
  long post(const std::string& body, CURLcode* code);

  const SenderOptions& options_;
  Totals& totals_;
  AckLog& log_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::vector<int64_t> series_;  // global series ids owned by this connection
  std::vector<int64_t> next_;    // next sample number per owned series
  size_t cursor_ = 0;
  int64_t start_ms_;
  std::string response_;
};

}  // namespace strata::rwsender
