// Sends alerts to every configured Alertmanager (API v2, POST <path_prefix>/api/v2/alerts) on
// a thread of its own, so a slow or dead Alertmanager never delays rule evaluation. Each
// Alertmanager gets every batch, with `retries` further attempts (exponential backoff from
// 500 ms); a full queue drops the oldest batch (counted), as Prometheus' notifier does.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace strata::ruler {

struct AlertmanagerTarget {
  std::string url;  // http://host:port/prefix/api/v2/alerts
  int64_t timeout_ms = 10000;
};

struct NotifierStats {
  std::function<void(const std::string& am, bool ok)> sent;  // per attempt outcome
  std::function<void(size_t)> dropped;
  std::function<void(const std::string& msg, const std::string& am)> log_error;
};

class Notifier {
 public:
  Notifier(std::vector<AlertmanagerTarget> targets, int retries, size_t queue_capacity,
           NotifierStats stats);
  ~Notifier();
  void enqueue(std::string payload);
  void stop();

 private:
  void run();
  bool post(const AlertmanagerTarget& t, const std::string& body, std::string* error);

  std::vector<AlertmanagerTarget> targets_;
  int retries_;
  size_t capacity_;
  NotifierStats stats_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace strata::ruler
