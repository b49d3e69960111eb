#include "remote_write_mode.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "request_body.h"
#include "step_gate.h"

namespace strata::avalanche {
namespace {

using Clock = std::chrono::steady_clock;

struct Totals {
  std::atomic<int64_t> acked{0}, rejected{0}, failed{0}, retries{0}, requests{0};
  // 2xx answers whose X-Prometheus-Remote-Write-Samples-Written differs from the samples sent,
  // and 2.0 2xx answers without it (a receiver that does not speak 2.0 may have dropped all).
  std::atomic<int64_t> written_mismatches{0}, unconfirmed{0};
  std::atomic<bool> abort{false};  // one request gave up: the server is gone, stop everyone
};

size_t keepSome(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<std::string*>(user);
  if (s->size() < 2048) s->append(data, std::min<size_t>(size * n, 2048));
  return size * n;
}

// X-Prometheus-Remote-Write-Samples-Written of the answer, -1 when absent (1.0 receivers and
// 1.0 requests). Header lines arrive one per call, name case-insensitive.
size_t readWritten(char* data, size_t size, size_t n, void* user) {
  constexpr std::string_view kName = "x-prometheus-remote-write-samples-written:";
  std::string_view line(data, size * n);
  if (line.size() > kName.size() &&
      std::equal(kName.begin(), kName.end(), line.begin(),
                 [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    std::string value(line.substr(kName.size()));
    char* end = nullptr;
    long long v = std::strtoll(value.c_str(), &end, 10);
    *static_cast<int64_t*>(user) = end != value.c_str() && v >= 0 ? v : -2;  // -2: unreadable
  }
  return size * n;
}

const char* protocolName(RemoteWriteProtocol p) {
  return p == RemoteWriteProtocol::kV2 ? "2.0" : "1.0";
}

class Sender {
 public:
  Sender(const ModeOptions& m, Totals& totals, StepGate& gate, size_t index)
      : m_(m), totals_(totals), gate_(gate), index_(index) {
    curl_ = curl_easy_init();
    if (m.protocol == RemoteWriteProtocol::kV2) {
      headers_ = curl_slist_append(
          headers_, "Content-Type: application/x-protobuf;proto=io.prometheus.write.v2.Request");
      headers_ = curl_slist_append(headers_, "X-Prometheus-Remote-Write-Version: 2.0.0");
    } else {
      headers_ = curl_slist_append(headers_, "Content-Type: application/x-protobuf");
      headers_ = curl_slist_append(headers_, "X-Prometheus-Remote-Write-Version: 0.1.0");
    }
    headers_ = curl_slist_append(headers_, "Content-Encoding: snappy");
    headers_ = curl_slist_append(headers_, "User-Agent: strata-avalanche/0.1");
    curl_easy_setopt(curl_, CURLOPT_URL, m.url.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 60000L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &keepSome);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response_);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &readWritten);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &written_);
  }
  ~Sender() {
    curl_easy_cleanup(curl_);
    curl_slist_free_all(headers_);
  }
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  // Sends in order; 5xx/429/no answer are retried with backoff, other 4xx are final.
  void send(const std::vector<const Request*>& queue, double rate, Clock::time_point t0) {
    int64_t done = 0;
    for (const Request* r : queue) {
      if (totals_.abort) {
        totals_.failed += r->samples;
        continue;
      }
      if (rate > 0) {  // fixed rate: wait for this request's slot on the schedule
        std::this_thread::sleep_until(t0 + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(done / rate)));
      }
      gate_.enter(index_, r->step);
      deliver(*r);
      done += r->samples;
    }
    gate_.finish(index_);
  }

 private:
  void deliver(const Request& r) {
    auto give_up = Clock::now() + std::chrono::seconds(m_.retry_timeout_s);
    auto backoff = std::chrono::milliseconds(20);
    for (;;) {
      response_.clear();
      written_ = -1;
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, r.body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
      long status = 0;
      if (curl_easy_perform(curl_) == CURLE_OK)
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
      totals_.requests++;
      if (status >= 200 && status < 300) {
        acknowledged(r);
        return;
      }
      if (status >= 400 && status < 500 && status != 429) {
        if (totals_.rejected.fetch_add(r.samples) == 0)
          std::fprintf(stderr, "strata-avalanche: HTTP %ld: %s\n", status, response_.c_str());
        return;
      }
      if (Clock::now() + backoff > give_up) {
        std::fprintf(stderr, "strata-avalanche: gave up after HTTP %ld\n", status);
        totals_.failed += r.samples;
        totals_.abort = true;
        return;
      }
      totals_.retries++;
      std::this_thread::sleep_for(backoff);  // retry backoff, not synchronisation
      backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
    }
  }

  // A 2xx: the samples count as accepted unless the receiver says it wrote another number;
  // then what it did not write counts as rejected (a 2xx is final, never retried).
  void acknowledged(const Request& r) {
    if (written_ == -1) {
      if (m_.protocol == RemoteWriteProtocol::kV2 && totals_.unconfirmed.fetch_add(1) == 0)
        std::fprintf(stderr,
                     "strata-avalanche: 2xx without X-Prometheus-Remote-Write-Samples-Written "
                     "to a 2.0 request: does the receiver speak remote write 2.0?\n");
      totals_.acked += r.samples;
      return;
    }
    if (written_ == r.samples) {
      totals_.acked += r.samples;
      return;
    }
    int64_t stored = std::clamp<int64_t>(written_, 0, r.samples);
    if (totals_.written_mismatches.fetch_add(1) == 0)
      std::fprintf(stderr,
                   "strata-avalanche: X-Prometheus-Remote-Write-Samples-Written is %s for a "
                   "request of %lld samples\n",
                   written_ == -2 ? "unreadable" : std::to_string(written_).c_str(),
                   static_cast<long long>(r.samples));
    totals_.acked += stored;
    totals_.rejected += r.samples - stored;
  }

  const ModeOptions& m_;
  Totals& totals_;
  StepGate& gate_;
  const size_t index_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string response_;
  int64_t written_ = -1;  // the answer's Samples-Written header; -1 absent, -2 unreadable
};

}  // namespace

int runRemoteWrite(const Workload& w, const ModeOptions& m) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  const int64_t groups = (w.slots() + m.series_per_request - 1) / m.series_per_request;
  const int64_t conns = std::min<int64_t>(m.connections, groups);
  std::vector<Request> requests;
  std::vector<std::vector<const Request*>> queues(static_cast<size_t>(conns));
  // Time-major order: every group's step chunk k goes out before any chunk k+1 of it.
  for (int64_t step = 0; step < w.steps(); step += m.steps_per_request)
    for (int64_t g = 0; g < groups; ++g)
      requests.push_back(buildRequest(w, m.protocol, g * m.series_per_request,
                                      std::min(w.slots(), (g + 1) * m.series_per_request), step,
                                      m.steps_per_request));
  size_t bytes = 0, k = 0;
  for (int64_t step = 0; step < w.steps(); step += m.steps_per_request)
    for (int64_t g = 0; g < groups; ++g, ++k) {
      queues[static_cast<size_t>(g % conns)].push_back(&requests[k]);
      bytes += requests[k].body.size();
    }
  std::fprintf(stderr,
               "strata-avalanche: remote write %s, %zu requests, %zu bytes on the wire, %lld "
               "samples\n",
               protocolName(m.protocol), requests.size(), bytes,
               static_cast<long long>(w.totalSamples()));

  Totals totals;
  StepGate gate(static_cast<size_t>(conns), m.max_lag_steps);
  std::vector<std::unique_ptr<Sender>> senders;
  for (int64_t c = 0; c < conns; ++c)
    senders.push_back(std::make_unique<Sender>(m, totals, gate, static_cast<size_t>(c)));
  const auto t0 = Clock::now();
  {
    std::vector<std::jthread> threads;
    for (int64_t c = 0; c < conns; ++c)
      threads.emplace_back([&, c] {
        senders[static_cast<size_t>(c)]->send(queues[static_cast<size_t>(c)], m.rate / conns, t0);
      });
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf(
      "accepted_samples=%lld rejected_samples=%lld failed_samples=%lld requests=%lld "
      "retries=%lld wire_bytes=%zu seconds=%.3f samples_per_second=%.0f protocol=%s "
      "written_mismatches=%lld unconfirmed_requests=%lld\n",
      static_cast<long long>(totals.acked.load()), static_cast<long long>(totals.rejected.load()),
      static_cast<long long>(totals.failed.load()), static_cast<long long>(totals.requests.load()),
      static_cast<long long>(totals.retries.load()), bytes, seconds,
      seconds > 0 ? static_cast<double>(totals.acked.load()) / seconds : 0.0,
      protocolName(m.protocol), static_cast<long long>(totals.written_mismatches.load()),
      static_cast<long long>(totals.unconfirmed.load()));
  std::fflush(stdout);
  curl_global_cleanup();
  return totals.acked.load() == w.totalSamples() && totals.written_mismatches.load() == 0 ? 0 : 1;
}

}  // namespace strata::avalanche
