#include "serve_mode.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "exposition.h"

namespace strata::avalanche {
namespace {

using Clock = std::chrono::steady_clock;

class MetricsHandler : public Poco::Net::HTTPRequestHandler {
 public:
  MetricsHandler(const Workload& w, Clock::time_point t0) : w_(w), t0_(t0) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    if (req.getURI() != "/metrics") {
      resp.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
      resp.send() << "try /metrics\n";
      return;
    }
    auto elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0_).count();
    int64_t step = (elapsed_ms / w_.options().interval_ms) % w_.steps();
    std::string body = renderText(w_, step);
    resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  }

 private:
  const Workload& w_;
  Clock::time_point t0_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Workload& w, Clock::time_point t0) : w_(w), t0_(t0) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new MetricsHandler(w_, t0_);
  }

 private:
  const Workload& w_;
  Clock::time_point t0_;
};

}  // namespace

int runServe(const Workload& w, const ModeOptions& m) {
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(m.listen));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    Poco::Net::HTTPServer server(new Factory(w, Clock::now()), socket, params);
    server.start();
    std::printf("listening=%s series=%lld\n", socket.address().toString().c_str(),
                static_cast<long long>(w.slots()));
    std::fflush(stdout);
    timespec limit{static_cast<time_t>(m.serve_seconds), 0};
    siginfo_t info;
    if (m.serve_seconds > 0) {
      sigtimedwait(&stop, &info, &limit);
    } else {
      int sig = 0;
      sigwait(&stop, &sig);
    }
    server.stopAll(true);
  } catch (const Poco::Exception& e) {
    std::fprintf(stderr, "strata-avalanche: serve on %s: %s\n", m.listen.c_str(),
                 e.displayText().c_str());
    return 1;
  }
  return 0;
}

}  // namespace strata::avalanche
