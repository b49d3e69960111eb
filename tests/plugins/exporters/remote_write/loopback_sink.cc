#include "loopback_sink.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <thread>

#include "prompb/snappy_body.h"
#include "prompb/write_v2_codec.h"
#include "proto/remote.pb.h"

namespace strata::rwexporter::testing {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(LoopbackSink* sink) : sink_(sink) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    std::string body;
    Poco::StreamCopier::copyToString(req.stream(), body);
    std::map<std::string, std::string> headers;
    for (const auto& [k, v] : req) headers[k] = v;
    auto answer = sink_->handle(body, std::move(headers));
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (answer.status == 429) resp.set("Retry-After", "0");
    if (answer.written >= 0)
      resp.set("X-Prometheus-Remote-Write-Samples-Written", std::to_string(answer.written));
    resp.setContentLength(0);
    resp.send();
  }

 private:
  LoopbackSink* sink_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(LoopbackSink* sink) : sink_(sink) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(sink_);
  }

 private:
  LoopbackSink* sink_;
};

std::string seriesName(const prometheus::TimeSeries& ts) {
  std::string name, rest;
  for (const auto& l : ts.labels()) {
    if (l.name() == "__name__") {
      name = l.value();
      continue;
    }
    rest += (rest.empty() ? "" : ",") + l.name() + "=\"" + l.value() + "\"";
  }
  return rest.empty() ? name : name + "{" + rest + "}";
}

// A 2.0 body through the receivers' own decoder, as name{labels} samples.
bool decodeV2(const std::string& body, std::vector<SinkSample>* out,
              std::vector<sdk::MetricMetadata>* meta) {
  sdk::BatchBuilder builder;
  prompb::DecodeStats stats;
  prompb::DecodeError error;
  prompb::DecodeLimits limits;
  limits.max_uncompressed_bytes = 64 << 20;
  if (!prompb::decodeWriteV2Request(body, limits, builder, &stats, &error)) return false;
  sdk::OwnedBatch batch(builder.finish());
  auto view = batch.view();
  for (size_t i = 0; i < view.metadataCount(); ++i)
    meta->push_back(sdk::MetricMetadata::of(view.metadata(i)));
  for (size_t i = 0; i < view.seriesCount(); ++i) {
    prometheus::TimeSeries ts;
    const strata_label* labels = view.labels(i);
    for (uint32_t j = 0; j < view.series(i).label_count; ++j) {
      auto* l = ts.add_labels();
      l->set_name(std::string(sdk::view(labels[j].name)));
      l->set_value(std::string(sdk::view(labels[j].value)));
    }
    std::string name = seriesName(ts);
    for (uint32_t k = 0; k < view.series(i).sample_count; ++k)
      out->push_back({name, view.timestamps(i)[k], view.values(i)[k]});
  }
  return true;
}

bool decodeV1(const std::string& body, std::vector<SinkSample>* out,
              std::vector<sdk::MetricMetadata>* meta) {
  std::string raw, error;
  prometheus::WriteRequest request;
  if (prompb::uncompressBounded(body, 64 << 20, &raw, &error) != prompb::SnappyResult::kOk ||
      !request.ParseFromString(raw))
    return false;
  for (const auto& ts : request.timeseries())
    for (const auto& s : ts.samples()) out->push_back({seriesName(ts), s.timestamp(), s.value()});
  for (const auto& m : request.metadata())
    meta->push_back({m.metric_family_name(), static_cast<uint32_t>(m.type()), m.help(), m.unit()});
  return true;
}

}  // namespace

LoopbackSink::LoopbackSink(int threads) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(256);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(this), socket, params);
  server_->start();
}

LoopbackSink::~LoopbackSink() { server_->stopAll(true); }

std::string LoopbackSink::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1/write";
}

void LoopbackSink::script(std::deque<int> statuses) {
  std::lock_guard lock(mu_);
  script_ = std::move(statuses);
}

void LoopbackSink::reportWritten(int64_t n) {
  std::lock_guard lock(mu_);
  report_written_ = n;
}

void LoopbackSink::setLatency(std::chrono::milliseconds latency) {
  std::lock_guard lock(mu_);
  latency_ = latency;
}

LoopbackSink::Answer LoopbackSink::handle(const std::string& body,
                                          std::map<std::string, std::string> headers) {
  std::chrono::milliseconds latency;
  {
    std::lock_guard lock(mu_);
    latency = latency_;
  }
  if (latency.count() > 0) std::this_thread::sleep_for(latency);
  bool v2 = headers["Content-Type"].find(prompb::kWriteV2Proto) != std::string::npos;
  std::vector<SinkSample> samples;
  std::vector<sdk::MetricMetadata> meta;
  bool decoded = v2 ? decodeV2(body, &samples, &meta) : decodeV1(body, &samples, &meta);
  std::lock_guard lock(mu_);
  ++requests_;
  last_headers_ = std::move(headers);
  Answer answer;
  if (!decoded) {
    answer.status = 400;
  } else if (!script_.empty()) {
    answer.status = script_.front();
    script_.pop_front();
  }
  bool ok = answer.status / 100 == 2;
  if (ok) accepted_.insert(accepted_.end(), samples.begin(), samples.end());
  if (ok) accepted_requests_.push_back({samples.size(), std::move(meta)});
  if (v2 && report_written_ != -2)
    answer.written = !ok ? 0 : report_written_ >= 0 ? report_written_ : int64_t(samples.size());
  cv_.notify_all();
  return answer;
}

std::vector<SinkSample> LoopbackSink::accepted() {
  std::lock_guard lock(mu_);
  return accepted_;
}

std::vector<SinkRequest> LoopbackSink::acceptedRequests() {
  std::lock_guard lock(mu_);
  return accepted_requests_;
}

size_t LoopbackSink::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

std::map<std::string, std::string> LoopbackSink::lastHeaders() {
  std::lock_guard lock(mu_);
  return last_headers_;
}

bool LoopbackSink::waitAccepted(size_t n, std::chrono::milliseconds deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, deadline, [&] { return accepted_.size() >= n; });
}

bool LoopbackSink::waitRequests(size_t n, std::chrono::milliseconds deadline) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, deadline, [&] { return requests_ >= n; });
}

}  // namespace strata::rwexporter::testing
