#include "loopback_sink.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include "prompb/snappy_body.h"
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
    int status = sink_->handle(body, std::move(headers));
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    if (status == 429) resp.set("Retry-After", "0");
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

}  // namespace

LoopbackSink::LoopbackSink() {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
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

int LoopbackSink::handle(const std::string& body, std::map<std::string, std::string> headers) {
  std::string raw, error;
  prometheus::WriteRequest request;
  bool decoded =
      prompb::uncompressBounded(body, 64 << 20, &raw, &error) == prompb::SnappyResult::kOk &&
      request.ParseFromString(raw);
  std::lock_guard lock(mu_);
  ++requests_;
  last_headers_ = std::move(headers);
  int status = 200;
  if (!decoded) {
    status = 400;
  } else if (!script_.empty()) {
    status = script_.front();
    script_.pop_front();
  }
  if (status / 100 == 2)
    for (const auto& ts : request.timeseries())
      for (const auto& s : ts.samples())
        accepted_.push_back({seriesName(ts), s.timestamp(), s.value()});
  cv_.notify_all();
  return status;
}

std::vector<SinkSample> LoopbackSink::accepted() {
  std::lock_guard lock(mu_);
  return accepted_;
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
