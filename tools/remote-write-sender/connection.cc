#include "connection.h"

#include <algorithm>
#include <map>
#include <thread>

#include "prompb/sample_line.h"
#include "prompb/write_request_encoder.h"

namespace strata::rwsender {
namespace {

size_t discard(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, std::min<size_t>(size * n, 4096));
  return size * n;
}

}  // namespace

AckLog::AckLog(const std::string& path) : path_(path) {
  if (!path.empty()) file_ = std::fopen(path.c_str(), "ae");
}
AckLog::~AckLog() {
  if (file_) std::fclose(file_);
}
void AckLog::append(const std::string& lines) {
  if (!file_) return;
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(lines.data(), 1, lines.size(), file_);
  std::fflush(file_);
}

Connection::Connection(const SenderOptions& options, int64_t index, Totals& totals, AckLog& log)
    : options_(options), totals_(totals), log_(log) {
  for (int64_t s = index; s < options.series; s += options.connections) series_.push_back(s);
  next_.assign(series_.size(), 0);
  start_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  curl_ = curl_easy_init();
  headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
  headers_ = curl_slist_append(headers_, "Content-Encoding: snappy");
  headers_ = curl_slist_append(headers_, "X-Prometheus-Remote-Write-Version: 0.1.0");
  headers_ = curl_slist_append(headers_, "User-Agent: strata-remote-write-sender/0.1");
  if (!options.tenant.empty())
    headers_ = curl_slist_append(headers_, ("THANOS-TENANT: " + options.tenant).c_str());
  if (!options.bearer.empty())
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + options.bearer).c_str());
  if (!options.basic_auth.empty()) {
    curl_easy_setopt(curl_, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl_, CURLOPT_USERPWD, options.basic_auth.c_str());
  }
  if (!options.cacert.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, options.cacert.c_str());
  curl_easy_setopt(curl_, CURLOPT_URL, options.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &discard);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response_);
}

Connection::~Connection() {
  curl_easy_cleanup(curl_);
  curl_slist_free_all(headers_);
}

strata_metrics_batch* Connection::nextBatch() {
  // Group this request's samples by series so each series is one TimeSeries.
  std::map<size_t, std::vector<int64_t>> picked;
  for (int64_t k = 0; k < options_.samples_per_request; ++k) {
    picked[cursor_].push_back(next_[cursor_]++);
    cursor_ = (cursor_ + 1) % series_.size();
  }
  sdk::BatchBuilder b(options_.tenant);
  for (const auto& [slot, seqs] : picked) {
    b.beginSeries({{"__name__", options_.metric}, {"series", std::to_string(series_[slot])}});
    for (int64_t seq : seqs) b.addSample(start_ms_ + seq, static_cast<double>(seq));
  }
  return b.finish();
}

long Connection::post(const std::string& body, CURLcode* code) {
  response_.clear();
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  *code = curl_easy_perform(curl_);
  long status = 0;
  if (*code == CURLE_OK) curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

Connection::Outcome Connection::deliver(const std::string& body) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(options_.retry_timeout_s);
  auto backoff = std::chrono::milliseconds(50);
  for (;;) {
    CURLcode code;
    long status = post(body, &code);
    if (status >= 200 && status < 300) return Outcome::kAcked;
    if (status >= 400 && status < 500 && status != 429) {
      std::fprintf(stderr, "remote-write-sender: HTTP %ld: %s\n", status, response_.c_str());
      return Outcome::kRejected;
    }
    if (code == CURLE_COULDNT_CONNECT) totals_.connect_errors++;
    if (std::chrono::steady_clock::now() + backoff > give_up) return Outcome::kGaveUp;
    totals_.retried++;
    std::this_thread::sleep_for(backoff);  // backoff between attempts, not synchronisation
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void Connection::run(std::chrono::steady_clock::time_point end) {
  if (series_.empty()) return;
  while (std::chrono::steady_clock::now() < end) {
    sdk::OwnedBatch batch(nextBatch());
    size_t n = batch.view().sampleCount();
    std::string body = prompb::encodeWriteRequest(batch.view());
    totals_.sent += n;
    switch (deliver(body)) {
      case Outcome::kAcked: {
        totals_.acked += n;
        std::string lines;
        prompb::appendBatchLines(lines, batch.view());
        log_.append(lines);
        break;
      }
      case Outcome::kRejected:
        totals_.rejected += n;
        break;
      case Outcome::kGaveUp:
        totals_.gave_up += n;
        break;
    }
    if (options_.interval_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.interval_ms));
  }
}

}  // namespace strata::rwsender
