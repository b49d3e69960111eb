#include "test_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <map>

namespace strata::scrape::testing {

struct TestServer::State {
  std::mutex mu;
  int status = 200;
  std::string body, content_type;
  std::map<std::string, std::string> headers;
  int requests = 0;
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(std::shared_ptr<TestServer::State> s) : s_(std::move(s)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    std::string body, ct;
    int status;
    {
      std::lock_guard<std::mutex> lock(s_->mu);
      ++s_->requests;
      for (const auto& [k, v] : req) s_->headers[k] = v;
      s_->headers["@uri"] = req.getURI();
      body = s_->body;
      ct = s_->content_type;
      status = s_->status;
    }
    resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    resp.setContentType(ct);
    resp.setContentLength(static_cast<std::streamsize>(body.size()));
    resp.send() << body;
  }

 private:
  std::shared_ptr<TestServer::State> s_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<TestServer::State> s) : s_(std::move(s)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(s_);
  }

 private:
  std::shared_ptr<TestServer::State> s_;
};

}  // namespace

struct TestServer::Impl {
  Poco::Net::ServerSocket socket;
  std::unique_ptr<Poco::Net::HTTPServer> server;
};

TestServer::TestServer() : state_(std::make_shared<State>()), impl_(new Impl) {
  impl_->socket.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
  impl_->socket.listen();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setKeepAlive(true);
  impl_->server =
      std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), impl_->socket, params);
  impl_->server->start();
}

TestServer::~TestServer() { impl_->server->stopAll(true); }

int TestServer::port() const { return impl_->socket.address().port(); }

void TestServer::set(int status, std::string body, std::string content_type) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->status = status;
  state_->body = std::move(body);
  state_->content_type = std::move(content_type);
}

std::string TestServer::lastHeader(const std::string& name) {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->headers.find(name);
  return it == state_->headers.end() ? "" : it->second;
}

int TestServer::requests() {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->requests;
}

}  // namespace strata::scrape::testing
