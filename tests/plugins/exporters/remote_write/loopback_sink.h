// A tiny remote write endpoint on 127.0.0.1:<ephemeral> for exporter tests: answers each
// request with the next scripted status (200 once the script is used up), and records the
// requests it answered 2xx, decoded (remote write 1.0, or 2.0 when the Content-Type says so),
// plus the headers of the last request. 2.0 responses carry
// X-Prometheus-Remote-Write-Samples-Written (scriptable, to play a partial write). It can
// also play a slow receiver: every request then takes at least a set latency.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <strata/sdk.hpp>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace strata::rwexporter::testing {

struct SinkSample {
  std::string series;  // name{a="b",...} in label order
  int64_t ts;
  double value;
};

// One accepted request: how many samples, and its metadata (1.0 MetricMetadata entries, or
// 2.0 per-series metadata per family as the receivers decode it).
struct SinkRequest {
  size_t samples = 0;
  std::vector<sdk::MetricMetadata> metadata;
};

class LoopbackSink {
 public:
  // `threads`: requests answered concurrently (one per kept-alive connection).
  explicit LoopbackSink(int threads = 4);
  ~LoopbackSink();

  std::string url() const;
  // Status codes for the next requests, in order (e.g. {500, 429}); then 200.
  void script(std::deque<int> statuses);
  // For 2.0 requests answered 2xx: report this many samples written instead of the truth
  // (-1: report the truth; -2: send no header at all, like a receiver that ignores 2.0).
  void reportWritten(int64_t n);
  // Every request takes at least `latency` before it is answered (0: none).
  void setLatency(std::chrono::milliseconds latency);
  // Samples of every accepted (2xx) request, in arrival order.
  std::vector<SinkSample> accepted();
  std::vector<SinkRequest> acceptedRequests();
  size_t requests();
  std::map<std::string, std::string> lastHeaders();
  // Waits (bounded) until at least n samples were accepted.
  bool waitAccepted(size_t n, std::chrono::milliseconds deadline);
  bool waitRequests(size_t n, std::chrono::milliseconds deadline);

  struct Answer {
    int status = 200;
    int64_t written = -1;  // the Samples-Written header; -1 for none
  };
  // Called by the handler: decides the status and records the request.
  Answer handle(const std::string& body, std::map<std::string, std::string> headers);

 private:
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> script_;
  std::vector<SinkSample> accepted_;
  std::vector<SinkRequest> accepted_requests_;
  size_t requests_ = 0;
  int64_t report_written_ = -1;
  std::chrono::milliseconds latency_{0};
  std::map<std::string, std::string> last_headers_;
};

}  // namespace strata::rwexporter::testing
