// Routes coming and going while requests run: what reload relies on.
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/http/http_server.h"
#include "tests/unit/http/test_client.h"

namespace strata::http {
namespace {

using namespace std::chrono_literals;
using testing::fetch;
using testing::reply;

constexpr char kAddr[] = "127.0.0.1:0";

bool connectRefused(int port) {
  try {
    Poco::Net::StreamSocket s;
    s.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)),
              Poco::Timespan(5, 0));
    return false;
  } catch (const Poco::Net::ConnectionRefusedException&) {
    return true;
  }
}

// A one-shot latch with a deadline, so a broken test fails instead of hanging.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  void release() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
  bool wait(std::chrono::milliseconds deadline = 10s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, deadline, [&] { return open; });
  }
};

TEST(HttpLifecycle, ReplaceHandlerUnderLoadFailsNoRequest) {
  HttpServer server;
  auto version = [](int v) {
    return [v](const strata_http_request*, strata_http_response* r) {
      reply(r, 200, std::to_string(v));
    };
  };
  uint64_t id = server.addRoute(kAddr, "/", 10, version(0));
  int port = server.boundPort(kAddr);
  constexpr int kVersions = 100;
  std::atomic<bool> done{false};
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
      session.setTimeout(Poco::Timespan(10, 0));
      int last = 0;
      while (!done) {
        try {
          auto r = testing::roundTrip(session, "GET", "/x");
          int v = std::stoi(r.body);
          // Versions only move forward: no request sees a handler older than one it saw.
          (r.status == 200 && v >= last) ? ++ok : ++failed;
          last = v;
        } catch (...) {
          ++failed;
        }
      }
    });
  for (int v = 1; v <= kVersions; ++v) {
    server.replaceHandler(id, version(v));
    // After replaceHandler returns, every new request gets the new version.
    EXPECT_EQ(fetch(port, "GET", "/y").body, std::to_string(v));
  }
  // Let the clients run against the last version too before stopping them.
  int seen = ok.load();
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       ok.load() < seen + 100 && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::yield();
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_GT(ok.load(), 0);
}

TEST(HttpLifecycle, RemoveRouteWaitsForInFlightHandler) {
  Gate entered, proceed;
  std::atomic<bool> finished{false};
  std::atomic<int> calls{0};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  uint64_t slow =
      server.addRoute(kAddr, "/slow", 10, [&](const strata_http_request*, strata_http_response* r) {
        ++calls;
        entered.release();
        proceed.wait();
        reply(r, 200, "slow");
        finished = true;
      });
  server.addRoute(kAddr, "/other", 10, [](const strata_http_request*, strata_http_response* r) {
    reply(r, 200, "other");
  });
  int port = server.boundPort(kAddr);
  auto client = std::async(std::launch::async, [&] { return fetch(port, "GET", "/slow"); });
  ASSERT_TRUE(entered.wait());
  auto removal = std::async(std::launch::async, [&] {
    server.removeRoute(slow);
    return finished.load();  // what removeRoute's caller sees on return
  });
  // The removal must still be waiting while the handler is blocked. (A bounded negative
  // check: if it returned early, it would have done so well within this time.)
  EXPECT_EQ(removal.wait_for(200ms), std::future_status::timeout);
  proceed.release();
  EXPECT_TRUE(removal.get());
  EXPECT_EQ(client.get().body, "slow");
  // Gone for new requests; the address still serves its other route.
  EXPECT_EQ(fetch(port, "GET", "/slow").status, 404);
  EXPECT_EQ(fetch(port, "GET", "/other").body, "other");
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpLifecycle, ReplaceHandlerWaitsForTheOldHandler) {
  Gate entered, proceed;
  std::atomic<bool> old_finished{false};
  std::atomic<int> old_calls{0};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  uint64_t id =
      server.addRoute(kAddr, "/", 10, [&](const strata_http_request*, strata_http_response* r) {
        if (old_calls++ > 0) return reply(r, 200, "old");  // only the first call blocks
        entered.release();
        proceed.wait();
        reply(r, 200, "old");
        old_finished = true;
      });
  int port = server.boundPort(kAddr);
  auto client = std::async(std::launch::async, [&] { return fetch(port, "GET", "/"); });
  ASSERT_TRUE(entered.wait());
  auto swap = std::async(std::launch::async, [&] {
    server.replaceHandler(
        id, [](const strata_http_request*, strata_http_response* r) { reply(r, 200, "new"); });
    return old_finished.load();
  });
  // While the old handler runs, new requests already get the new one.
  std::string fresh;
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       fresh != "new" && std::chrono::steady_clock::now() < deadline;)
    fresh = fetch(port, "GET", "/").body;
  EXPECT_EQ(fresh, "new");
  EXPECT_EQ(swap.wait_for(0ms), std::future_status::timeout);
  proceed.release();
  EXPECT_TRUE(swap.get());
  EXPECT_EQ(client.get().body, "old");
}

TEST(HttpLifecycle, SocketClosesWithLastRouteAndReopens) {
  HttpServer server;
  auto ok = [](const strata_http_request*, strata_http_response* r) { reply(r, 200, "ok"); };
  uint64_t a = server.addRoute(kAddr, "/a", 10, ok);
  uint64_t b = server.addRoute(kAddr, "/b", 10, ok);
  int port = server.boundPort(kAddr);
  server.removeRoute(a);
  EXPECT_EQ(fetch(port, "GET", "/b").body, "ok");  // one route left: still open
  server.removeRoute(b);
  EXPECT_EQ(server.boundPort(kAddr), 0);
  EXPECT_TRUE(connectRefused(port));

  std::string same = "127.0.0.1:" + std::to_string(port);
  server.addRoute(same, "/c", 10, ok);
  EXPECT_EQ(server.boundPort(same), port);
  EXPECT_EQ(fetch(port, "GET", "/c").body, "ok");
  server.removeRoute(999);  // unknown ids are ignored
}

TEST(HttpLifecycle, HandlerMayRemoveItsOwnRoute) {
  uint64_t id = 0;
  std::atomic<bool> removed{false};
  HttpServer server;  // declared after what its handlers use, so it stops them first
  id =
      server.addRoute(kAddr, "/once", 10, [&](const strata_http_request*, strata_http_response* r) {
        reply(r, 200, "bye");
        server.removeRoute(id);  // must not wait for itself
        removed = true;
      });
  int port = server.boundPort(kAddr);
  try {
    fetch(port, "GET", "/once");  // the answer may be cut off: the socket is closing
  } catch (...) {
  }
  for (auto deadline = std::chrono::steady_clock::now() + 10s;
       !removed && std::chrono::steady_clock::now() < deadline;)
    std::this_thread::yield();
  EXPECT_TRUE(removed.load());
  EXPECT_TRUE(connectRefused(port));
}

TEST(HttpLifecycle, DestructorClosesListeners) {
  int port = 0;
  {
    HttpServer server;
    server.addRoute(kAddr, "/", 10, [](const strata_http_request*, strata_http_response* r) {
      reply(r, 200, "ok");
    });
    port = server.boundPort(kAddr);
    EXPECT_EQ(fetch(port, "GET", "/").body, "ok");
  }
  EXPECT_TRUE(connectRefused(port));
}

}  // namespace
}  // namespace strata::http
