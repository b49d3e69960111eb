#include "notifier.h"

#include <curl/curl.h>

#include <chrono>

#include "http_client/curl_setup.h"

namespace strata::ruler {

Notifier::Notifier(std::vector<AlertmanagerTarget> targets, int retries, size_t queue_capacity,
                   NotifierStats stats)
    : targets_(std::move(targets)),
      retries_(retries),
      capacity_(queue_capacity),
      stats_(std::move(stats)) {
  http_client::ensureCurlGlobalInit();
  thread_ = std::thread([this] { run(); });
}

Notifier::~Notifier() { stop(); }

void Notifier::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Notifier::enqueue(std::string payload) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= capacity_) {
      queue_.pop_front();
      if (stats_.dropped) stats_.dropped(1);
    }
    queue_.push_back(std::move(payload));
  }
  cv_.notify_all();
}

namespace {
size_t discard(char*, size_t size, size_t n, void*) { return size * n; }
}  // namespace

bool Notifier::post(const AlertmanagerTarget& t, const std::string& body, std::string* error) {
  CURL* h = curl_easy_init();
  if (!h) {
    *error = "curl_easy_init failed";
    return false;
  }
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(h, CURLOPT_URL, t.url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(t.timeout_ms));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  CURLcode code = curl_easy_perform(h);
  long status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(h);
  if (code != CURLE_OK) {
    *error = curl_easy_strerror(code);
    return false;
  }
  if (status / 100 != 2) {
    *error = "bad response status " + std::to_string(status);
    return false;
  }
  return true;
}

void Notifier::run() {
  for (;;) {
    std::string body;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      body = std::move(queue_.front());
      queue_.pop_front();
    }
    for (const AlertmanagerTarget& t : targets_) {
      auto backoff = std::chrono::milliseconds(500);
      for (int attempt = 0; attempt <= retries_; ++attempt) {
        std::string error;
        bool ok = post(t, body, &error);
        if (stats_.sent) stats_.sent(t.url, ok);
        if (ok) break;
        if (stats_.log_error) stats_.log_error("error sending alerts: " + error, t.url);
        std::unique_lock<std::mutex> lock(mu_);
        if (cv_.wait_for(lock, backoff, [&] { return stop_; })) return;
        backoff *= 2;
      }
    }
  }
}

}  // namespace strata::ruler
