// What the event-loop front promises under the load of a real deployment: idle keep-alive
// connections cost no thread, limits answer instead of hanging, and a route that is going away
// answers 503 (which a remote write sender retries), never 404 (which it drops).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "core/http/http_server.h"
#include "tests/unit/http/raw_client.h"
#include "tests/unit/http/test_client.h"

namespace strata::http {
namespace {

using namespace std::chrono_literals;
using testing::fetch;
using testing::RawClient;
using testing::reply;

constexpr char kAddr[] = "127.0.0.1:0";

Handler ok(const std::string& body = "ok") {
  return [body](const strata_http_request*, strata_http_response* r) { reply(r, 200, body); };
}

int statusOf(const std::string& response) {
  if (response.size() < 12 || response.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(response.substr(9, 3));
}

TEST(HttpFront, IdleKeepAliveConnectionsDoNotHoldThreads) {
  HttpServer server;
  server.addRoute(kAddr, "/api/v1/write", 1024, ok("written"));
  server.addRoute(kAddr, "/-/ready", 0, ok("ready"));
  int port = server.boundPort(kAddr);
  // Far more idle keep-alive clients than there are worker threads (the old front had 16).
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 300; ++i) {
    idle.push_back(std::make_unique<RawClient>(port));
    ASSERT_TRUE(idle.back()->connected());
    idle.back()->send("POST /api/v1/write HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
  }
  for (auto& c : idle) ASSERT_EQ(statusOf(c->readUntil("written")), 200);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(fetch(port, "GET", "/-/ready").body, "ready");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // Every one of them is still served on its kept-alive connection.
  for (auto& c : idle) {
    c->received().clear();
    c->send("POST /api/v1/write HTTP/1.1\r\nContent-Length: 1\r\n\r\ny");
  }
  for (auto& c : idle) EXPECT_EQ(statusOf(c->readUntil("written")), 200);
  auto info = server.listenerInfo();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_GE(info[0].open_connections, 300);
}

TEST(HttpFront, OverTheConnectionCapClientsGetAFast503) {
  std::atomic<int> refused503{0};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  ServerLimits limits;
  limits.max_connections = 5;
  server.setLimits(limits);
  server.setRefusalHook([&](const std::string&, int status) {
    if (status == 503) ++refused503;
  });
  server.addRoute(kAddr, "/", 0, ok());
  int port = server.boundPort(kAddr);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 5; ++i) {
    held.push_back(std::make_unique<RawClient>(port));
    held.back()->send("GET / HTTP/1.1\r\n\r\n");
    ASSERT_EQ(statusOf(held.back()->readUntil("ok")), 200);
  }
  RawClient over(port);
  auto start = std::chrono::steady_clock::now();
  std::string answer = over.readUntil("\r\n\r\n", 2s);
  EXPECT_EQ(statusOf(answer), 503) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  // With a large request already on its way, the client still reads the 503 (a close with
  // its body unread would reset the connection and lose the answer).
  RawClient big(port);
  big.send("POST / HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n" + std::string(1 << 20, 'x'));
  std::string big_answer = big.readUntil("\r\n\r\n", 2s);
  EXPECT_EQ(statusOf(big_answer), 503) << big_answer;
  EXPECT_EQ(refused503.load(), 2);
  held.pop_back();  // one leaves: a new client is served again
  for (int i = 0; i < 50; ++i) {
    RawClient again(port);
    again.send("GET / HTTP/1.1\r\n\r\n");
    if (statusOf(again.readUntil("\r\n\r\n")) == 200) return;
    std::this_thread::sleep_for(20ms);
  }
  FAIL() << "no client was served after one left";
}

TEST(HttpFront, SlowLorisGets408AndDoesNotDelayOthers) {
  HttpServer server;
  ServerLimits limits;
  limits.header_timeout = 400ms;
  server.setLimits(limits);
  server.addRoute(kAddr, "/", 0, ok());
  int port = server.boundPort(kAddr);
  std::vector<std::unique_ptr<RawClient>> loris;
  for (int i = 0; i < 100; ++i) {
    loris.push_back(std::make_unique<RawClient>(port));
    loris.back()->send("GET / HT");  // and never more
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(fetch(port, "GET", "/").body, "ok");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  for (auto& c : loris) {
    std::string answer = c->readUntil("timed out", 3s);
    EXPECT_EQ(statusOf(answer), 408) << answer;
    EXPECT_TRUE(c->closedWithin(3s));
  }
}

TEST(HttpFront, AFloodOfWritesCannotStarveAdminRoutes) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> entered{0};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  ServerLimits limits;
  limits.classes[static_cast<size_t>(RouteClass::kWrite)] = {1, 2};
  server.setLimits(limits);
  server.addRoute(kAddr, "/api/v1/write", 1024,
                  [&](const strata_http_request*, strata_http_response* r) {
                    ++entered;
                    released.wait();
                    reply(r, 204, "");
                  });
  server.addRoute(kAddr, "/-/ready", 0, ok("ready"));
  int port = server.boundPort(kAddr);
  std::vector<std::unique_ptr<RawClient>> writers;
  for (int i = 0; i < 6; ++i) {
    writers.push_back(std::make_unique<RawClient>(port));
    writers.back()->send("POST /api/v1/write HTTP/1.1\r\nContent-Length: 1\r\n\r\nx");
  }
  // One runs, one waits for the worker; the other four are refused at once.
  int refused = 0;
  for (auto& w : writers) {
    std::string answer = w->readUntil("\r\n\r\n", 500ms);
    if (!answer.empty()) {
      EXPECT_EQ(statusOf(answer), 503) << answer;
      EXPECT_NE(answer.find("Retry-After"), std::string::npos);
      EXPECT_NE(answer.find("too many concurrent write requests"), std::string::npos);
      ++refused;
    }
  }
  EXPECT_EQ(refused, 4);
  EXPECT_EQ(fetch(port, "GET", "/-/ready").body, "ready");  // admin has its own workers
  release.set_value();
}

TEST(HttpFront, ARouteBeingRemovedAnswers503NotA404) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> entered{false};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  uint64_t id = server.addRoute(kAddr, "/api/v1/write", 1024,
                                [&](const strata_http_request*, strata_http_response* r) {
                                  entered = true;
                                  released.wait();
                                  reply(r, 204, "");
                                });
  server.addRoute(kAddr, "/-/ready", 0, ok("ready"));
  int port = server.boundPort(kAddr);
  auto slow =
      std::async(std::launch::async, [&] { return fetch(port, "POST", "/api/v1/write", "x"); });
  while (!entered) std::this_thread::sleep_for(1ms);
  auto removing = std::async(std::launch::async, [&] { server.removeRoute(id); });
  std::this_thread::sleep_for(50ms);
  auto during = fetch(port, "POST", "/api/v1/write", "y");
  EXPECT_EQ(during.status, 503) << during.body;
  EXPECT_EQ(during.headers["Retry-After"], "1");
  release.set_value();
  removing.get();
  EXPECT_EQ(slow.get().status, 204);  // the request in flight finished
  // Removed on a reload, the route is simply gone...
  EXPECT_EQ(fetch(port, "POST", "/api/v1/write", "z").status, 404);
  // ...but while the node stops, a path without its route says "retry", not "never".
  server.setStopping();
  EXPECT_EQ(fetch(port, "POST", "/api/v1/write", "z").status, 503);
}

TEST(HttpFront, WhileStartingAMissingRouteIsNotYetThere) {
  // The admin routes open the shared port before the components add theirs: a remote write
  // arriving in between must be told "retry", not "never".
  HttpServer server;
  server.setStarting(true);
  server.addRoute(kAddr, "/-/ready", 0, ok("ready"));
  int port = server.boundPort(kAddr);
  auto early = fetch(port, "POST", "/api/v1/write", "x");
  EXPECT_EQ(early.status, 503) << early.body;
  EXPECT_EQ(early.headers["Retry-After"], "1");
  server.addRoute(kAddr, "/api/v1/write", 1024, ok("written"));
  server.setStarting(false);
  EXPECT_EQ(fetch(port, "POST", "/api/v1/write", "x").body, "written");
  EXPECT_EQ(fetch(port, "GET", "/nowhere").status, 404);
}

TEST(HttpFront, ExpectContinuePipeliningHeadAndChunked) {
  HttpServer server;
  server.addRoute(kAddr, "/echo", 1024, [](const strata_http_request* q, strata_http_response* r) {
    reply(r, 200, "[" + std::string(q->body, q->body_len) + "]");
  });
  int port = server.boundPort(kAddr);
  RawClient c(port);
  c.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_NE(c.readUntil("100 Continue\r\n\r\n").find("HTTP/1.1 100 Continue"), std::string::npos);
  c.send("abc");
  EXPECT_NE(c.readUntil("[abc]").find("[abc]"), std::string::npos);
  c.received().clear();
  c.send(
      "GET /echo HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\nhi\r\n0\r\n\r\nHEAD /echo HTTP/1.1\r\n\r\n");
  std::string all = c.readUntil("[hi]HTTP/1.1 200 OK", 3s);
  size_t first = all.find("[]"), second = all.find("[hi]");
  EXPECT_NE(first, std::string::npos) << all;
  ASSERT_NE(second, std::string::npos) << all;
  EXPECT_LT(first, second);
  // HEAD: the length of the body it would get, and no body.
  all = c.readUntil("Content-Length: 2\r\n\r\n", 3s);
  std::string head = all.substr(second + 4);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK", 0), 0u) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;
}

TEST(HttpFront, MalformedRequestsGetA4xxNamingTheProblem) {
  HttpServer server;
  std::vector<int> refusals;
  std::mutex mu;
  server.setRefusalHook([&](const std::string&, int status) {
    std::lock_guard lock(mu);
    refusals.push_back(status);
  });
  server.addRoute(kAddr, "/", 1024, ok());
  int port = server.boundPort(kAddr);
  RawClient c(port);
  c.send("POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n");
  std::string answer = c.readUntil("Content-Length\"");
  EXPECT_EQ(statusOf(answer), 400) << answer;
  EXPECT_NE(answer.find("malformed Content-Length"), std::string::npos) << answer;
  EXPECT_TRUE(c.closedWithin(3s));
  std::lock_guard lock(mu);
  EXPECT_EQ(refusals, std::vector<int>{400});
}

}  // namespace
}  // namespace strata::http
