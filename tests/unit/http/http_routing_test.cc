// Requests through a real loopback server: routing, limits, headers, bodies, errors.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/http/http_server.h"
#include "tests/unit/http/test_client.h"

namespace strata::http {
namespace {

using testing::fetch;
using testing::reply;
using testing::text;

constexpr char kAddr[] = "127.0.0.1:0";

Handler named(const std::string& name) {
  return [name](const strata_http_request* req, strata_http_response* resp) {
    reply(resp, 200,
          name + " " + text(req->method) + " " + text(req->path) + " ?" + text(req->query));
  };
}

TEST(HttpRouting, LongestPrefixWins) {
  HttpServer server;
  server.addRoute(kAddr, "/", 1024, named("root"));
  server.addRoute(kAddr, "/api", 1024, named("api"));
  server.addRoute(kAddr, "/api/v1/", 1024, named("v1"));
  int port = server.boundPort(kAddr);
  ASSERT_GT(port, 0);
  EXPECT_EQ(fetch(port, "GET", "/api/v1/query?q=up&x=1").body, "v1 GET /api/v1/query ?q=up&x=1");
  EXPECT_EQ(fetch(port, "GET", "/api/v1").body, "api GET /api/v1 ?");
  EXPECT_EQ(fetch(port, "GET", "/apix").body, "api GET /apix ?");
  EXPECT_EQ(fetch(port, "GET", "/metrics").body, "root GET /metrics ?");
}

TEST(HttpRouting, UnknownPathIs404) {
  HttpServer server;
  server.addRoute(kAddr, "/metrics", 1024, named("m"));
  auto r = fetch(server.boundPort(kAddr), "GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("/nope"), std::string::npos);
}

TEST(HttpRouting, PostBodyAndHeadersRoundTrip) {
  HttpServer server;
  server.addRoute(
      kAddr, "/echo", 1 << 20, [](const strata_http_request* req, strata_http_response* resp) {
        std::string seen;
        for (size_t i = 0; i < req->header_count; ++i)
          if (text(req->headers[i].name) == "X-Request-Id") seen = text(req->headers[i].value);
        resp->add_header(resp, {"X-Echo", 6}, {seen.data(), seen.size()});
        resp->add_header(resp, {"Retry-After", 11}, {"5", 1});
        resp->send(resp, 202, {"application/octet-stream", 24}, req->body, req->body_len);
      });
  std::string body(300000, 'x');
  body[12345] = '\0';  // binary-safe
  auto r = fetch(server.boundPort(kAddr), "POST", "/echo", body, {{"X-Request-Id", "abc 123"}});
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.headers["X-Echo"], "abc 123");
  EXPECT_EQ(r.headers["Retry-After"], "5");
  EXPECT_EQ(r.headers["Content-Type"], "application/octet-stream");
}

TEST(HttpRouting, BodyOverLimitIs413WithoutCallingTheHandler) {
  std::atomic<int> calls{0};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  server.addRoute(kAddr, "/w", 10, [&](const strata_http_request* req, strata_http_response* resp) {
    ++calls;
    reply(resp, 200, std::to_string(req->body_len));
  });
  int port = server.boundPort(kAddr);
  EXPECT_EQ(fetch(port, "POST", "/w", "0123456789").body, "10");  // exactly the limit
  auto r = fetch(port, "POST", "/w", "0123456789A");
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("limit of 10 bytes"), std::string::npos) << r.body;
  EXPECT_EQ(calls.load(), 1);

  // Chunked: no Content-Length, so the limit is found while reading.
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest req("POST", "/w", Poco::Net::HTTPMessage::HTTP_1_1);
  req.setChunkedTransferEncoding(true);
  session.sendRequest(req) << std::string(100, 'y');
  Poco::Net::HTTPResponse resp;
  session.receiveResponse(resp);
  EXPECT_EQ(resp.getStatus(), 413);
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpRouting, RefusalsTheServerAnswersItselfReachTheHook) {
  HttpServer server;
  std::mutex mu;
  std::vector<std::string> seen;
  server.setRefusalHook([&](const std::string& address, int status) {
    std::lock_guard lock(mu);
    seen.push_back(address + " " + std::to_string(status));
  });
  server.addRoute(kAddr, "/w", 4, named("w"));
  int port = server.boundPort(kAddr);
  EXPECT_EQ(fetch(port, "POST", "/w", "0123").status, 200);
  EXPECT_EQ(fetch(port, "POST", "/w", "01234").status, 413);
  EXPECT_EQ(fetch(port, "GET", "/nope").status, 404);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"127.0.0.1:0 413", "127.0.0.1:0 404"}));
}

TEST(HttpRouting, DeclaredLengthOverLimitIsRejectedBeforeReading) {
  HttpServer server;
  server.addRoute(kAddr, "/w", 1000, named("w"));
  // Claim a gigabyte and send none of it: the answer must come without the body.
  Poco::Net::HTTPClientSession session("127.0.0.1",
                                       static_cast<Poco::UInt16>(server.boundPort(kAddr)));
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest req("POST", "/w", Poco::Net::HTTPMessage::HTTP_1_1);
  req.setContentLength64(1LL << 30);
  session.sendRequest(req).flush();
  Poco::Net::HTTPResponse resp;
  session.receiveResponse(resp);
  EXPECT_EQ(resp.getStatus(), 413);
}

TEST(HttpRouting, HandlerThatNeverSendsGets500) {
  HttpServer server;
  server.addRoute(kAddr, "/silent", 10, [](const strata_http_request*, strata_http_response*) {});
  server.addRoute(kAddr, "/throws", 10, [](const strata_http_request*, strata_http_response*) {
    throw std::runtime_error("boom");
  });
  server.addRoute(kAddr, "/twice", 10, [](const strata_http_request*, strata_http_response* r) {
    reply(r, 201, "first");
    reply(r, 500, "second");
  });
  int port = server.boundPort(kAddr);
  auto silent = fetch(port, "GET", "/silent");
  EXPECT_EQ(silent.status, 500);
  EXPECT_EQ(silent.body, "handler sent no response\n");
  auto thrown = fetch(port, "GET", "/throws");
  EXPECT_EQ(thrown.status, 500);
  EXPECT_NE(thrown.body.find("boom"), std::string::npos);
  auto twice = fetch(port, "GET", "/twice");
  EXPECT_EQ(twice.status, 201);
  EXPECT_EQ(twice.body, "first");
}

TEST(HttpRouting, KeepAliveServesManyRequestsOnOneConnection) {
  HttpServer server;
  server.addRoute(kAddr, "/", 10, named("r"));
  Poco::Net::HTTPClientSession session("127.0.0.1",
                                       static_cast<Poco::UInt16>(server.boundPort(kAddr)));
  session.setKeepAlive(true);
  for (int i = 0; i < 5; ++i) {
    auto r = testing::roundTrip(session, "GET", "/x" + std::to_string(i));
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.headers["Connection"], "close");
  }
}

TEST(HttpRouting, BadRoutesThrow) {
  HttpServer server;
  server.addRoute(kAddr, "/a", 10, named("a"));
  EXPECT_THROW(server.addRoute(kAddr, "/a", 10, named("again")), std::runtime_error);
  EXPECT_THROW(server.addRoute("nonsense", "/a", 10, named("x")), std::runtime_error);
  EXPECT_THROW(server.addRoute(kAddr, "no-slash", 10, named("x")), std::runtime_error);
  EXPECT_THROW(server.replaceHandler(999, named("x")), std::runtime_error);
  EXPECT_EQ(server.boundPort("127.0.0.1:1"), 0);
  // Binding a port that is in use fails with a message and leaves no listener behind.
  int port = server.boundPort(kAddr);
  std::string taken = "127.0.0.1:" + std::to_string(port);
  EXPECT_THROW(server.addRoute(taken, "/b", 10, named("b")), std::runtime_error);
  EXPECT_EQ(server.boundPort(taken), 0);
}

}  // namespace
}  // namespace strata::http
